// SMART App Launch, EHR launch step 1: the EHR opens
//   /app/launch.html?iss=<FHIR base>&launch=<opaque>
// We read the EHR's SMART configuration, make a PKCE pair and a random state, keep them in
// sessionStorage for callback.js, and send the browser to the EHR's authorization endpoint.

// sessionStorage key read by callback.js.
const LAUNCH_KEY = 'prostateed.smart.launch';
// sessionStorage key of the finished session (cleared here: a new launch starts a new session).
const SESSION_KEY = 'prostateed.smart.session';

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `length` random URL-safe characters (64 symbols, so every byte maps without bias). */
function randomUrlSafe(length) {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => URL_SAFE[byte & 63]).join('');
}

/** base64url without padding. */
function base64Url(bytes) {
  let binary = '';
  new Uint8Array(bytes).forEach((byte) => { binary += String.fromCharCode(byte); });
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The PKCE S256 challenge of a verifier. */
async function challengeOf(verifier) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64Url(digest);
}

/** GET a JSON document; throws an Error naming what could not be read. */
async function getJson(url, what) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: 'application/json' } });
  } catch {
    throw new Error(`The ${what} could not be reached.`);
  }
  if (!response.ok) throw new Error(`The ${what} could not be read (${response.status}).`);
  try {
    return await response.json();
  } catch {
    throw new Error(`The ${what} is not valid JSON.`);
  }
}

/** The iss parameter as a FHIR base URL (http or https only), without a trailing slash. */
function fhirBaseFrom(iss) {
  let url;
  try {
    url = new URL(iss);
  } catch {
    throw new Error('The EHR sent an "iss" that is not a URL.');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error('The EHR sent an "iss" that is not an http(s) URL.');
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * The scopes to ask: SMART App Launch 2 scopes where the EHR announces "permission-v2", otherwise
 * the v1 scopes they map to: ".rs" (or any of r, s) to ".read", any of c, u, d to ".write".
 */
export function scopesFor(smart, scopes) {
  const capabilities = Array.isArray(smart.capabilities) ? smart.capabilities : [];
  if (capabilities.includes('permission-v2')) {
    return scopes;
  }
  const v1 = [];
  for (const scope of scopes.split(/\s+/).filter(Boolean)) {
    const match = /^(patient|user|system)\/([A-Za-z]+|\*)\.([cruds]+)$/.exec(scope);
    if (!match) {
      v1.push(scope);
      continue;
    }
    const [, level, type, permissions] = match;
    if (/[rs]/.test(permissions)) v1.push(`${level}/${type}.read`);
    if (/[cud]/.test(permissions)) v1.push(`${level}/${type}.write`);
  }
  return [...new Set(v1)].join(' ');
}

async function launch() {
  const query = new URLSearchParams(location.search);
  const iss = query.get('iss');
  const launchToken = query.get('launch');
  if (!iss || !launchToken) {
    throw new Error('This page is opened by the EHR (it needs "iss" and "launch"). Open the app from the encounter in the EHR.');
  }
  const fhirBase = fhirBaseFrom(iss);
  const config = await getJson(new URL('config', import.meta.url).href, 'app settings');
  if (!config.smartClientId) throw new Error('The app has no SMART client id configured.');

  const smart = await getJson(`${fhirBase}/.well-known/smart-configuration`, "EHR's SMART configuration");
  if (!smart.authorization_endpoint || !smart.token_endpoint) {
    throw new Error("The EHR's SMART configuration names no authorization or token endpoint.");
  }
  const authorize = new URL(smart.authorization_endpoint, fhirBase + '/');
  const tokenEndpoint = new URL(smart.token_endpoint, fhirBase + '/').href;

  const verifier = randomUrlSafe(64);
  const state = randomUrlSafe(43);
  const redirectUri = new URL('callback.html', import.meta.url).href;
  sessionStorage.removeItem(SESSION_KEY);
  sessionStorage.setItem(LAUNCH_KEY, JSON.stringify({
    iss: fhirBase,
    verifier,
    state,
    tokenEndpoint,
    clientId: config.smartClientId,
    redirectUri,
  }));

  const params = {
    response_type: 'code',
    client_id: config.smartClientId,
    redirect_uri: redirectUri,
    launch: launchToken,
    scope: scopesFor(smart, config.smartScopes || 'launch openid fhirUser'),
    state,
    aud: iss,
    code_challenge: await challengeOf(verifier),
    code_challenge_method: 'S256',
  };
  Object.entries(params).forEach(([name, value]) => authorize.searchParams.set(name, value));
  document.getElementById('launch-status').textContent = 'Signing in with the EHR…';
  location.assign(authorize.href);
}

launch().catch((error) => {
  document.getElementById('launch-status').hidden = true;
  const box = document.getElementById('error');
  box.textContent = `The app could not be launched: ${error.message}`;
  box.hidden = false;
});
