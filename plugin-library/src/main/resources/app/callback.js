// SMART App Launch, EHR launch step 2: the EHR's authorization server sends the browser back here
// with ?code=...&state=... We check the state, swap the code for a token (with the PKCE
// verifier), keep the session in sessionStorage and open the app. No ids go into the app's URL.

const LAUNCH_KEY = 'prostateed.smart.launch';
const SESSION_KEY = 'prostateed.smart.session';

/** Decodes the payload of a JWT (base64url JSON). No verification: the server checks tokens. */
function jwtClaims(token) {
  if (typeof token !== 'string') return {};
  const parts = token.split('.');
  if (parts.length < 2) return {};
  try {
    const base64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = base64 + '='.repeat((4 - (base64.length % 4)) % 4);
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    const claims = JSON.parse(new TextDecoder().decode(bytes));
    return claims && typeof claims === 'object' ? claims : {};
  } catch {
    return {}; // an opaque access token carries no claims
  }
}

/** appContext is a JSON string in SMART; some servers send an object. */
function parseAppContext(appContext) {
  if (!appContext) return {};
  if (typeof appContext === 'object') return appContext;
  try {
    const parsed = JSON.parse(appContext);
    return parsed && typeof parsed === 'object' ? parsed : {};
  } catch {
    return {};
  }
}

/** "Encounter/123" or a full URL ending in it -> "123"; a bare id stays as it is. */
function bareId(value, type) {
  if (!value) return null;
  const text = String(value);
  const at = text.lastIndexOf(`${type}/`);
  return (at >= 0 ? text.slice(at + type.length + 1).split('/')[0] : text) || null;
}

/** The fhirUser claim as "Practitioner/<id>", or null when it is not a Practitioner. */
function practitionerFrom(fhirUser) {
  const match = /(?:^|\/)Practitioner\/([A-Za-z0-9\-.]{1,64})$/.exec(fhirUser || '');
  return match ? `Practitioner/${match[1]}` : null;
}

/** The launch kept by launch.js, used once. */
function takeLaunch() {
  const raw = sessionStorage.getItem(LAUNCH_KEY);
  sessionStorage.removeItem(LAUNCH_KEY);
  if (!raw) throw new Error('No sign-in was started in this browser tab. Open the app again from the EHR.');
  return JSON.parse(raw);
}

/** POSTs the authorization code to the token endpoint; returns the token response. */
async function exchangeCode(launch, code) {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: launch.redirectUri,
    client_id: launch.clientId,
    code_verifier: launch.verifier,
  });
  let response;
  try {
    response = await fetch(launch.tokenEndpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
      body: form.toString(),
    });
  } catch {
    throw new Error("The EHR's token endpoint could not be reached.");
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    body = null;
  }
  if (!response.ok || !body || !body.access_token) {
    const reason = body && (body.error_description || body.error);
    throw new Error(`The EHR did not issue a token (${response.status}${reason ? `: ${reason}` : ''}).`);
  }
  return body;
}

async function finishSignIn() {
  const query = new URLSearchParams(location.search);
  // The code must not stay in the address bar or the history.
  history.replaceState(null, '', location.pathname);
  if (query.get('error')) {
    throw new Error(`The EHR refused the sign-in: ${query.get('error_description') || query.get('error')}.`);
  }
  const launch = takeLaunch();
  if (!query.get('state') || query.get('state') !== launch.state) {
    throw new Error('The sign-in could not be verified (the state does not match). Open the app again from the EHR.');
  }
  const code = query.get('code');
  if (!code) throw new Error('The EHR sent no authorization code.');

  const token = await exchangeCode(launch, code);
  const claims = jwtClaims(token.access_token);
  const appContext = parseAppContext(token.appContext);
  const patient = bareId(token.patient || claims.patient || appContext.patientId, 'Patient');
  const encounter = bareId(appContext.encounterId || token.encounter || claims.encounter, 'Encounter');
  const idClaims = jwtClaims(token.id_token);
  const fhirUser = idClaims.fhirUser || idClaims.profile || null;

  sessionStorage.setItem(SESSION_KEY, JSON.stringify({
    fhirBase: launch.iss,
    token: token.access_token,
    patient,
    encounter,
    practitioner: practitionerFrom(fhirUser),
    fhirUser,
    expiresAt: token.expires_in ? Date.now() + Number(token.expires_in) * 1000 : null,
  }));
  location.replace(new URL('index.html', import.meta.url).href);
}

finishSignIn().catch((error) => {
  document.getElementById('callback-status').hidden = true;
  const box = document.getElementById('error');
  box.textContent = `The sign-in did not finish: ${error.message}`;
  box.hidden = false;
});
