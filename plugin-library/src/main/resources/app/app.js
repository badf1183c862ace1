// The clinician app: shows the contraindication check for one encounter, asks the server for the
// decision while the clinician answers, previews the handout, gives it and records teach-back.
//
// Rules kept throughout:
// - every value from the chart or the server is written with textContent or setAttribute;
// - no inline styles or scripts (the page runs under a strict Content-Security-Policy);
// - nothing about the patient goes into a URL except resource ids.

const FHIR_JSON = 'application/fhir+json';
const EXT = 'http://prostateed.org/fhir/StructureDefinition/';
const SEVERITY_EXT = EXT + 'contraindication-severity';
const RELEASE_REQUIRES_EXT = EXT + 'release-requires';
const EVIDENCE_EXT = EXT + 'prefill-evidence';
const ORIGIN_EXT = 'http://hl7.org/fhir/us/davinci-dtr/StructureDefinition/information-origin';
const HANDOUT_VERSION_EXT = EXT + 'handout-version';

// sessionStorage key written by callback.js after a SMART launch.
const SESSION_KEY = 'prostateed.smart.session';

const EVALUATE_DELAY_MS = 200;
const PREVIEW_DELAY_MS = 300;
const REQUEST_TIMEOUT_MS = 30000;

// Everything the screen knows. Only the functions below change it.
const state = {
  fhirBase: '',
  token: null,
  practitioner: null,
  patientId: null,
  encounterId: null,
  questionnaire: null, // the Questionnaire resource
  canonical: '', // url|version of the questionnaire
  items: new Map(), // linkId -> Questionnaire item
  prefilled: new Map(), // linkId -> {code, extensions} as pre-filled from the chart
  answersVersion: 0, // bumped on every answer change
  decision: null, // {outcome, reasons} for answersVersion === decisionVersion
  decisionVersion: -1,
  decisionError: null,
  acknowledged: new Set(), // linkIds ticked in the REVIEW list
  ruledOut: new Map(), // linkId -> the rule-out reason chosen for an absolute item answered "Don't know"
  reviewKey: '', // the REVIEW linkIds currently shown, joined
  stored: null, // {signature, id} of the QuestionnaireResponse stored for giving
  giving: false,
  given: null, // the DocumentReference once given
  previewRequest: 0,
  errorSource: null, // what put the message in #error
};

const $ = (id) => document.getElementById(id);

// ---------------------------------------------------------------------------------------------
// Small helpers
// ---------------------------------------------------------------------------------------------

/** Creates an element with optional class and text (text is always set as textContent). */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

/** Shows or hides an element with the hidden attribute. */
function show(node, visible) {
  node.hidden = !visible;
}

/** Calls fn once the calls have stopped for `delay` ms. */
function debounce(fn, delay) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), delay);
  };
}

/** The value[x] of a Parameters parameter or part, whatever its type. */
function valueOf(parameter) {
  if (!parameter) return undefined;
  const key = Object.keys(parameter).find((k) => k.startsWith('value'));
  return key ? parameter[key] : undefined;
}

/** All parameters (or parts) with a name. */
function partsNamed(list, name) {
  return (list || []).filter((p) => p && p.name === name);
}

/** The value of the first part with a name. */
function partValue(parameter, name) {
  return valueOf(partsNamed(parameter && parameter.part, name)[0]);
}

/** The first extension with a url, or undefined. */
function extension(element, url) {
  return ((element && element.extension) || []).find((e) => e.url === url);
}

/** "Patient/123" or a full URL ending in it -> "123"; a bare id stays as it is. */
function idFrom(reference, type) {
  if (!reference) return null;
  const text = String(reference);
  const marker = type + '/';
  const at = text.lastIndexOf(marker);
  const id = at >= 0 ? text.slice(at + marker.length).split('/')[0] : text;
  return id || null;
}

// ---------------------------------------------------------------------------------------------
// Errors and FHIR requests
// ---------------------------------------------------------------------------------------------

/** An error to show to the clinician, with the HTTP status when the server answered. */
class AppError extends Error {
  constructor(message, status = 0, details = []) {
    super(message);
    this.status = status;
    this.details = details;
  }
}

/** The diagnostics of an OperationOutcome, one string per issue. */
function outcomeMessages(body) {
  if (!body || body.resourceType !== 'OperationOutcome') return [];
  return (body.issue || [])
    .map((issue) => issue.diagnostics || (issue.details && issue.details.text) || issue.code)
    .filter(Boolean);
}

/** Parses a response body as JSON when it is JSON; null otherwise. */
async function readJson(response) {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** fetch with a time limit, so that no request can leave the screen waiting for ever. */
async function fetchWithTimeout(url, options) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
  try {
    return await fetch(url, { ...options, signal: controller.signal, credentials: 'same-origin' });
  } catch (error) {
    const reason = error.name === 'AbortError' ? 'the server took too long to answer' : 'the server could not be reached';
    throw new AppError(`Request failed: ${reason}.`);
  } finally {
    clearTimeout(timer);
  }
}

/** The headers of every FHIR call: FHIR JSON both ways, and the SMART token when there is one. */
function fhirHeaders(hasBody, accept = FHIR_JSON) {
  const headers = { Accept: accept };
  if (hasBody) headers['Content-Type'] = FHIR_JSON;
  if (state.token) headers.Authorization = `Bearer ${state.token}`;
  return headers;
}

/** The absolute URL of a path on the FHIR server. */
function fhirUrl(path) {
  return state.fhirBase.replace(/\/+$/, '') + '/' + path;
}

/**
 * Calls the FHIR server and returns {status, body, headers}. A 4xx/5xx becomes an AppError
 * carrying the OperationOutcome's diagnostics.
 */
async function fhir(path, { method = 'GET', body, extraHeaders } = {}) {
  const hasBody = body !== undefined;
  const response = await fetchWithTimeout(fhirUrl(path), {
    method,
    headers: { ...fhirHeaders(hasBody), ...(extraHeaders || {}) },
    body: hasBody ? JSON.stringify(body) : undefined,
  });
  const json = await readJson(response);
  if (!response.ok) {
    const details = outcomeMessages(json);
    let message = `The server answered ${response.status} to ${method} ${path.split('?')[0]}.`;
    if (response.status === 401) {
      message = 'Your sign-in has expired or was refused. Open the app again from the EHR.';
    }
    throw new AppError(message, response.status, details);
  }
  return { status: response.status, body: json, headers: response.headers };
}

/**
 * Writes an error into a message box: an optional first sentence saying what failed, then the
 * server's diagnostics (for a refusal) or the error's own message.
 */
function renderError(box, error, context) {
  box.replaceChildren();
  const appError = error instanceof AppError ? error : new AppError(String((error && error.message) || error));
  if (context) box.append(el('p', 'message-lead', context));
  const refused = appError.status >= 400 && appError.status < 500 && appError.status !== 401;
  if (!refused || !appError.details.length) box.append(el('p', null, appError.message));
  if (appError.details.length) {
    const list = el('ul', 'diagnostics');
    appError.details.forEach((detail) => list.append(el('li', null, detail)));
    box.append(list);
  }
  show(box, true);
}

/** Shows an error in the page-wide error box; `source` lets a later success clear it. */
function showError(error, context, source = 'other') {
  renderError($('error'), error, context);
  state.errorSource = source;
}

/** Hides the page-wide error box if it shows an error from `source`. */
function clearError(source) {
  if (state.errorSource === source) {
    show($('error'), false);
    state.errorSource = null;
  }
}

// ---------------------------------------------------------------------------------------------
// Start-up: configuration and context (demo URL or SMART session)
// ---------------------------------------------------------------------------------------------

async function loadConfig() {
  const response = await fetchWithTimeout(new URL('config', import.meta.url).href, {
    headers: { Accept: 'application/json' },
  });
  const config = await readJson(response);
  if (!response.ok || !config) {
    throw new AppError(`The app settings could not be loaded (${response.status}).`);
  }
  return config;
}

function readSession() {
  try {
    const session = JSON.parse(sessionStorage.getItem(SESSION_KEY) || 'null');
    if (!session || !session.fhirBase || !session.token) return null;
    if (session.expiresAt && Date.now() > session.expiresAt) return null; // launch again from the EHR
    return session;
  } catch {
    return null;
  }
}

/** An encounter's id, given as the id or as the reference EHRs and CDS cards pass ("Encounter/id"). */
function encounterId(value) {
  if (!value) return null;
  return value.startsWith('Encounter/') ? value.substring('Encounter/'.length) : value;
}

/**
 * Decides where the data comes from. Demo mode with ?encounter= uses the local FHIR server and no
 * token; otherwise the SMART session stored by callback.js. Returns null when there is neither.
 */
function resolveContext(config) {
  const encounterParam = encounterId(new URLSearchParams(location.search).get('encounter'));
  if (config.demo && encounterParam) {
    return {
      fhirBase: new URL(config.fhirBase || '/fhir', location.origin).href,
      token: null,
      encounterId: encounterParam,
      patientId: null,
      practitioner: config.practitioner || null,
      practitionerProblem: null,
    };
  }
  const session = readSession();
  if (!session) return null;
  return {
    fhirBase: session.fhirBase,
    token: session.token,
    encounterId: encounterId(session.encounter),
    patientId: session.patient || null,
    practitioner: session.practitioner || config.practitioner || null,
    practitionerProblem: session.fhirUser && !session.practitioner
      ? `You are signed in as ${session.fhirUser}, which is not a Practitioner.` : null,
  };
}

/** Demo mode without an encounter: list the encounters of the demo server, as links by id. */
async function showDemoPicker() {
  show($('demo-picker'), true);
  const list = $('demo-encounters');
  try {
    const { body } = await fhir('Encounter?_count=50&_elements=id,period,subject');
    const encounters = ((body && body.entry) || []).map((entry) => entry.resource).filter(Boolean);
    $('demo-picker-status').textContent = encounters.length
      ? 'Open one of these encounters:'
      : 'No encounters found. Start the server with --demo to load the demo patients.';
    for (const encounter of encounters) {
      const item = el('li');
      const link = el('a', null, encounter.id);
      const href = new URL('index.html', import.meta.url);
      href.searchParams.set('encounter', encounter.id);
      link.setAttribute('href', href.href);
      item.append(link);
      list.append(item);
    }
  } catch (error) {
    $('demo-picker-status').textContent = 'The demo encounters could not be listed.';
    showError(error);
  }
}

async function main() {
  try {
    const config = await loadConfig();
    show($('demo-banner'), Boolean(config.demo));
    const context = resolveContext(config);
    if (!context) {
      if (config.demo) {
        state.fhirBase = new URL(config.fhirBase || '/fhir', location.origin).href;
        await showDemoPicker();
      } else {
        show($('no-session'), true);
      }
      return;
    }
    Object.assign(state, {
      fhirBase: context.fhirBase,
      token: context.token,
      encounterId: context.encounterId,
      patientId: context.patientId,
      practitioner: context.practitioner,
    });
    if (!state.encounterId) {
      throw new AppError('The EHR did not say which encounter is open. Open the app from within an encounter.');
    }
    setUpGiveArea(context.practitionerProblem);
    await loadEncounter();
  } catch (error) {
    showError(error, error.status ? 'The check could not be opened.' : undefined);
  } finally {
    show($('loading'), false);
  }
}

// ---------------------------------------------------------------------------------------------
// Header: patient, encounter, qualifying diagnoses
// ---------------------------------------------------------------------------------------------

/** The official name (else the first), as "given family". */
function patientName(patient) {
  const names = patient.name || [];
  const name = names.find((n) => n.use === 'official') || names[0];
  if (!name) return 'Name not recorded';
  const parts = [...(name.given || []), name.family].filter(Boolean);
  return parts.length ? parts.join(' ') : name.text || 'Name not recorded';
}

/** Whole years between a FHIR birthDate and today. */
function ageInYears(birthDate) {
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(birthDate || '');
  if (!match) return null;
  const today = new Date();
  const year = Number(match[1]);
  const month = Number(match[2] || 1);
  const day = Number(match[3] || 1);
  let age = today.getFullYear() - year;
  if (today.getMonth() + 1 < month || (today.getMonth() + 1 === month && today.getDate() < day)) age -= 1;
  return age;
}

function renderHeader(patient, encounter) {
  $('patient-name').textContent = patientName(patient);
  const age = ageInYears(patient.birthDate);
  $('patient-age').textContent = age === null ? 'Not recorded' : `${age} ${age === 1 ? 'year' : 'years'}`;
  const start = encounter.period && encounter.period.start;
  $('encounter-date').textContent = start ? String(start).slice(0, 10) : 'Not recorded';
  show($('patient-summary'), true);
}

/** "<display or code> (<code>), found in <source>" for each diagnosis parameter. */
function renderDiagnoses(education) {
  const list = $('diagnosis');
  list.replaceChildren();
  const diagnoses = partsNamed(education.parameter, 'diagnosis');
  for (const diagnosis of diagnoses) {
    const code = partValue(diagnosis, 'code') || {};
    const source = partValue(diagnosis, 'source') || {};
    const label = code.display || code.code || 'Unknown code';
    list.append(el('li', null, `${label} (${code.code || '?'}), found in ${source.reference || 'the chart'}`));
  }
  if (!diagnoses.length) list.append(el('li', null, 'None'));
}

async function loadEncounter() {
  const encounterId = encodeURIComponent(state.encounterId);
  const [encounterResult, educationResult] = await Promise.all([
    fhir(`Encounter/${encounterId}`),
    fhir(`Encounter/${encounterId}/$education`),
  ]);
  const encounter = encounterResult.body;
  const subjectId = idFrom(encounter.subject && encounter.subject.reference, 'Patient');
  if (!subjectId) throw new AppError('The encounter has no patient.');
  if (state.patientId && state.patientId !== subjectId) {
    throw new AppError('The encounter belongs to another patient than the one open in the EHR. Open the app again from the EHR.');
  }
  state.patientId = subjectId;
  const patient = (await fhir(`Patient/${encodeURIComponent(subjectId)}`)).body;
  renderHeader(patient, encounter);

  const education = educationResult.body || {};
  noteIncompleteChart(education);
  renderDiagnoses(education);
  const item = partsNamed(education.parameter, 'education')[0];
  if (!item) {
    show($('not-applicable'), true);
    return;
  }
  noteAlreadyGiven(item);
  await loadQuestionnaire(partValue(item, 'questionnaire'));
}

/**
 * Shows the server's warning when it could not read the whole chart ($education's and $populate's
 * 'issues' OperationOutcome): pre-filled answers and diagnoses may then be missing.
 */
function noteIncompleteChart(parameters) {
  const outcome = (partsNamed(parameters && parameters.parameter, 'issues')[0] || {}).resource;
  const warnings = ((outcome && outcome.issue) || []).map((issue) => issue.diagnostics).filter(Boolean);
  if (!warnings.length) return;
  $('chart-incomplete').textContent = warnings.join(' ');
  show($('chart-incomplete'), true);
}

/** Says so when $education reports a handout already given on this encounter. */
function noteAlreadyGiven(item) {
  const given = partsNamed(item.part, 'given').map((p) => (valueOf(p) || {}).reference).filter(Boolean);
  if (!given.length) return;
  $('already-given').textContent = `A handout was already given on this encounter (${given.join(', ')}). Giving it again records another copy.`;
  show($('already-given'), true);
}

// ---------------------------------------------------------------------------------------------
// The questionnaire: read it, render it from its items, pre-fill it from the chart
// ---------------------------------------------------------------------------------------------

async function loadQuestionnaire(canonical) {
  if (!canonical) throw new AppError('The education item names no questionnaire.');
  const [url, version] = String(canonical).split('|');
  let query = `Questionnaire?url=${encodeURIComponent(url)}`;
  if (version) query += `&version=${encodeURIComponent(version)}`;
  const { body } = await fhir(query);
  const questionnaire = body && body.entry && body.entry[0] && body.entry[0].resource;
  if (!questionnaire) throw new AppError(`The questionnaire ${canonical} is not on the FHIR server.`);
  state.questionnaire = questionnaire;
  state.canonical = version ? `${url}|${version}` : `${url}|${questionnaire.version}`;
  // The chart's answers are fetched first, so that the form appears complete in one go and a
  // late pre-fill can never overwrite an answer the clinician has already given.
  const prefilledResponse = await fetchPrefill();
  renderQuestionnaire(questionnaire);
  applyPrefill(prefilledResponse);
  show($('workflow'), true);
  evaluateNow();
}

/** Flattens groups so that every answerable item is rendered. */
function answerableItems(items) {
  const flat = [];
  for (const item of items || []) {
    if (item.type === 'group' || item.type === 'display') flat.push(...answerableItems(item.item));
    else flat.push(item);
  }
  return flat;
}

function renderQuestionnaire(questionnaire) {
  $('questionnaire-title').textContent = questionnaire.title
    ? `${questionnaire.title} (version ${questionnaire.version || 'unknown'})` : '';
  const form = $('questionnaire');
  form.setAttribute('aria-labelledby', 'questions-heading');
  form.replaceChildren();
  for (const item of answerableItems(questionnaire.item)) {
    state.items.set(item.linkId, item);
    form.append(renderItem(item));
  }
}

/** One fieldset per item: legend, badges (required, severity), one radio per answer option. */
function renderItem(item) {
  const fieldset = el('fieldset', 'question');
  fieldset.id = questionId(item.linkId);
  fieldset.setAttribute('data-link-id', item.linkId);
  fieldset.append(el('legend', null, item.text || item.linkId));

  const badges = el('p', 'badges');
  badges.id = `badges--${item.linkId}`;
  if (item.required) badges.append(el('span', 'required', 'required'));
  const severity = extension(item, SEVERITY_EXT);
  if (severity && severity.valueCode) {
    const badge = el('span', `severity severity--${severity.valueCode}`);
    badge.append(el('span', 'visually-hidden', 'Severity: '), document.createTextNode(severity.valueCode));
    badges.append(badge);
  }
  if (badges.childNodes.length) {
    fieldset.append(badges);
    fieldset.setAttribute('aria-describedby', badges.id);
  }

  const options = el('div', 'options');
  for (const option of item.answerOption || []) {
    const coding = option.valueCoding;
    if (!coding || !coding.code) continue;
    const id = `${item.linkId}--${coding.code}`;
    const wrapper = el('div', 'option');
    const input = el('input');
    input.type = 'radio';
    input.name = item.linkId;
    input.value = coding.code;
    input.id = id;
    const label = el('label', null, coding.display || coding.code);
    label.setAttribute('for', id);
    wrapper.append(input, label);
    options.append(wrapper);
  }
  fieldset.append(options);
  return fieldset;
}

/** The coding of an item's answer option with a code. */
function optionCoding(linkId, code) {
  const item = state.items.get(linkId);
  const option = ((item && item.answerOption) || []).find((o) => o.valueCoding && o.valueCoding.code === code);
  return option ? option.valueCoding : null;
}

/** Asks the server ($populate) for the answers the chart holds; null when it cannot say. */
async function fetchPrefill() {
  const body = {
    resourceType: 'Parameters',
    parameter: [
      { name: 'subject', valueReference: { reference: `Patient/${state.patientId}` } },
      {
        name: 'context',
        part: [
          { name: 'name', valueString: 'encounter' },
          { name: 'content', valueReference: { reference: `Encounter/${state.encounterId}` } },
        ],
      },
    ],
  };
  try {
    const { body: result } = await fhir(`Questionnaire/${encodeURIComponent(state.questionnaire.id)}/$populate`,
      { method: 'POST', body });
    noteIncompleteChart(result);
    return (partsNamed(result && result.parameter, 'response')[0] || {}).resource || null;
  } catch (error) {
    // The clinician can still answer every question by hand; the server checks the chart again on giving.
    showError(error, 'The answers could not be pre-filled from the chart: ask every question.');
    return null;
  }
}

/** Shows each pre-filled answer of the $populate response with its evidence. */
function applyPrefill(response) {
  for (const item of flatResponseItems(response && response.item)) {
    const answer = (item.answer || [])[0];
    if (answer && answer.valueCoding) showPrefilled(item.linkId, answer);
  }
}

/** Response items, with nested ones flattened. */
function flatResponseItems(items) {
  const flat = [];
  for (const item of items || []) {
    flat.push(item);
    flat.push(...flatResponseItems(item.item));
    for (const answer of item.answer || []) flat.push(...flatResponseItems(answer.item));
  }
  return flat;
}

/** Selects a pre-filled answer and adds its chart evidence and a confirmation box. */
function showPrefilled(linkId, answer) {
  const fieldset = document.querySelector(`fieldset[data-link-id="${CSS.escape(linkId)}"]`);
  const radio = document.getElementById(`${linkId}--${answer.valueCoding.code}`);
  if (!fieldset || !radio) return;
  radio.checked = true;
  const evidence = (answer.extension || []).filter((e) => e.url === EVIDENCE_EXT);
  state.prefilled.set(linkId, { code: answer.valueCoding.code, extensions: evidence });

  const box = el('div', 'prefill');
  const summaries = evidence.map((e) => valueOf((e.extension || []).find((s) => s.url === 'summary')))
    .filter(Boolean);
  if (!summaries.length) summaries.push('from chart');
  summaries.forEach((summary) => box.append(el('p', 'evidence', summary)));

  const confirmRow = el('div', 'option option--confirm');
  const checkbox = el('input');
  checkbox.type = 'checkbox';
  checkbox.className = 'confirm';
  checkbox.id = `confirm--${linkId}`;
  checkbox.setAttribute('data-link-id', linkId);
  const label = el('label', null, 'Confirmed with the patient');
  label.setAttribute('for', checkbox.id);
  confirmRow.append(checkbox, label);
  box.append(confirmRow);
  fieldset.append(box);
  fieldset.classList.add('question--prefilled');
}

// ---------------------------------------------------------------------------------------------
// Answers as a QuestionnaireResponse
// ---------------------------------------------------------------------------------------------

/** The answers currently selected, as response items (answered items only). */
function answeredItems() {
  const items = [];
  for (const [linkId, item] of state.items) {
    const checked = document.querySelector(`input[type="radio"][name="${CSS.escape(linkId)}"]:checked`);
    if (!checked) continue;
    const coding = optionCoding(linkId, checked.value);
    if (!coding) continue;
    const answer = { valueCoding: { system: coding.system, code: coding.code, display: coding.display } };
    // Keep the chart evidence on an answer the clinician left as the chart had it.
    const prefilled = state.prefilled.get(linkId);
    const kept = prefilled && prefilled.code === coding.code;
    if (kept && prefilled.extensions.length) {
      answer.extension = [...prefilled.extensions];
    }
    // Where the answer came from (DTR information-origin): as pre-filled, changed by the
    // clinician, or the clinician's own. Without a practitioner to name, the origin is left unknown.
    const origin = answerOrigin(prefilled ? (kept ? 'auto' : 'override') : 'manual');
    if (origin) answer.extension = [...(answer.extension || []), origin];
    items.push({ linkId, text: item.text, answer: [answer] });
  }
  return items;
}

/** DTR's information-origin extension for an answer; null when a person's answer has no practitioner to name. */
function answerOrigin(source) {
  const extension = [{ url: 'source', valueCode: source }];
  if (source !== 'auto') {
    if (!state.practitioner) return null;
    extension.push({ url: 'author', extension: [{ url: 'practitioner', valueReference: { reference: state.practitioner } }] });
  }
  return { url: ORIGIN_EXT, extension };
}

/** A completed response for this patient and encounter; extra fields (author, authored) merged in. */
function buildResponse(extra = {}) {
  return {
    resourceType: 'QuestionnaireResponse',
    status: 'completed',
    questionnaire: state.canonical,
    subject: { reference: `Patient/${state.patientId}` },
    encounter: { reference: `Encounter/${state.encounterId}` },
    ...extra,
    item: answeredItems(),
  };
}

// ---------------------------------------------------------------------------------------------
// The decision ($evaluate), debounced while the clinician answers
// ---------------------------------------------------------------------------------------------

/** Reads the $evaluate Parameters into {outcome, reasons}. */
function readDecision(parameters) {
  const list = (parameters && parameters.parameter) || [];
  const outcome = valueOf(partsNamed(list, 'outcome')[0]);
  const reasons = partsNamed(list, 'reason').map((reason) => ({
    linkId: partValue(reason, 'linkId'),
    severity: partValue(reason, 'severity'),
    rationale: partValue(reason, 'rationale'),
    finding: partValue(reason, 'finding'),
    raises: partValue(reason, 'raises'),
    needed: partValue(reason, 'needed'),
    ruleOutReasons: partsNamed(reason.part, 'ruleOutReason').map(valueOf),
    evidence: partsNamed(reason.part, 'evidence').map((evidence) => ({
      reference: (partValue(evidence, 'reference') || {}).reference,
      code: partValue(evidence, 'code'),
      display: partValue(evidence, 'display'),
      date: partValue(evidence, 'date'),
    })),
  }));
  return { outcome, reasons };
}

async function evaluateNow() {
  const version = state.answersVersion;
  const decisionBox = $('decision');
  decisionBox.setAttribute('aria-busy', 'true');
  try {
    const { body } = await fhir('QuestionnaireResponse/$evaluate', { method: 'POST', body: buildResponse() });
    if (version !== state.answersVersion || state.given) return; // answers changed meanwhile
    const decision = readDecision(body);
    if (!decision.outcome) throw new AppError('The server sent no decision.');
    state.decision = decision;
    state.decisionVersion = version;
    state.decisionError = null;
    clearError('decision');
    renderDecision(decision);
    schedulePreview();
  } catch (error) {
    if (version !== state.answersVersion) return;
    state.decision = null;
    state.decisionError = error;
    renderDecisionError();
    showError(error, 'The decision could not be checked.', 'decision');
  } finally {
    if (version === state.answersVersion) decisionBox.removeAttribute('aria-busy');
    updateGiveState();
  }
}

const scheduleEvaluate = debounce(evaluateNow, EVALUATE_DELAY_MS);

const OUTCOME_TEXT = {
  ELIGIBLE: { icon: '✓', text: 'The handout may be given.' },
  REVIEW: { icon: '!', text: 'Review before giving: acknowledge each flagged item, and for an absolute item answered'
    + ' "Don\'t know" record what was done today to rule it out.' },
  CONTRAINDICATED: { icon: '✕', text: 'Do not give the handout.' },
  INCOMPLETE: { icon: '?', text: 'Answer every required question.' },
};

/** The question text of an item, or its linkId. */
function itemText(linkId) {
  const item = state.items.get(linkId);
  return (item && item.text) || linkId;
}

/** "Acute prostatitis, recorded 2026-11-18 (Condition/123)". */
function describeEvidence(evidence) {
  return `${evidence.display || evidence.code || 'record'}${evidence.date ? `, recorded ${evidence.date}` : ''}`
    + `${evidence.reference ? ` (${evidence.reference})` : ''}`;
}

function renderDecision(decision) {
  const box = $('decision');
  const known = OUTCOME_TEXT[decision.outcome] || { icon: '?', text: decision.outcome };
  box.setAttribute('data-outcome', decision.outcome);
  $('decision-icon').textContent = known.icon;
  $('decision-text').textContent = known.text;

  const list = $('reasons');
  list.replaceChildren();
  if (decision.outcome === 'CONTRAINDICATED') {
    decision.reasons.filter((r) => r.raises === 'CONTRAINDICATED').forEach((r) => list.append(contraindicationItem(r)));
  } else if (decision.outcome === 'INCOMPLETE') {
    decision.reasons.filter((r) => r.raises === 'INCOMPLETE').forEach((r) => list.append(missingItem(r)));
  }
  show(list, list.childNodes.length > 0);
  renderAcknowledgements(decision.outcome === 'REVIEW'
    ? decision.reasons.filter((r) => r.raises === 'REVIEW') : []);
}

/** A decisive reason: linkId, severity, rationale and the chart records behind it. */
function contraindicationItem(reason) {
  const item = el('li', 'reason');
  const head = el('p', 'reason-head');
  head.append(el('strong', 'link-id', reason.linkId), document.createTextNode(` (${reason.severity}): ${reason.rationale || ''}`));
  item.append(head);
  if (reason.finding === 'chart') {
    item.append(el('p', 'reason-note', 'The chart records this even though the answer is not "Yes".'));
  }
  if (reason.finding === 'blocking-answer') {
    item.append(el('p', 'reason-note', `Answer given: "${answerDisplay(reason.linkId)}".`));
  }
  for (const evidence of reason.evidence) {
    item.append(el('p', 'reason-evidence', `Chart: ${describeEvidence(evidence)}`));
  }
  return item;
}

/** A missing (or not-as-required) item, named by its question text, linking to the question. */
function missingItem(reason) {
  const item = el('li', 'reason reason--missing');
  const link = el('a', null, itemText(reason.linkId));
  link.setAttribute('href', `#${questionId(reason.linkId)}`);
  link.addEventListener('click', (event) => {
    event.preventDefault();
    focusQuestion(reason.linkId);
  });
  item.append(link);
  if (reason.finding === 'not-as-required') {
    const required = extension(state.items.get(reason.linkId), RELEASE_REQUIRES_EXT);
    const wanted = required && required.valueCoding ? required.valueCoding.display || required.valueCoding.code : 'as required';
    item.append(document.createTextNode(` (must be answered "${wanted}" before the handout is given)`));
  }
  return item;
}

/** The id of the fieldset of an item. */
function questionId(linkId) {
  return `question--${linkId}`;
}

/** Moves the keyboard focus to a question (its selected radio, else its first one). */
function focusQuestion(linkId) {
  const fieldset = document.getElementById(questionId(linkId));
  if (!fieldset) return;
  const radio = fieldset.querySelector('input[type="radio"]:checked') || fieldset.querySelector('input[type="radio"]');
  fieldset.scrollIntoView({ block: 'center' });
  if (radio) radio.focus();
}

/** The display of the answer currently selected for an item. */
function answerDisplay(linkId) {
  const checked = document.querySelector(`input[type="radio"][name="${CSS.escape(linkId)}"]:checked`);
  const coding = checked && optionCoding(linkId, checked.value);
  return coding ? coding.display || coding.code : '';
}

/**
 * One row per REVIEW reason: a relative item gets an acknowledgement box; an absolute item answered
 * "Don't know" gets a choice of what was done today to rule it out. Ticks and choices survive
 * re-evaluation of the same items.
 */
function renderAcknowledgements(reviewReasons) {
  const key = reviewReasons.map((r) => `${r.linkId}:${r.finding}`).join('|');
  const wanted = new Set(reviewReasons.map((r) => r.linkId));
  for (const linkId of [...state.acknowledged]) if (!wanted.has(linkId)) state.acknowledged.delete(linkId);
  for (const linkId of [...state.ruledOut.keys()]) if (!wanted.has(linkId)) state.ruledOut.delete(linkId);
  show($('acknowledgements'), reviewReasons.length > 0);
  if (key === state.reviewKey) return; // same items: keep the boxes (and the focus) as they are
  state.reviewKey = key;
  const container = $('acknowledge-list');
  container.replaceChildren();
  for (const reason of reviewReasons) {
    container.append(reason.needed === 'rule-out' ? ruleOutRow(reason) : acknowledgementRow(reason));
  }
}

/** The question, the item's severity and finding, its rationale and the chart evidence. */
function reasonLabel(reason, label) {
  const found = reason.finding === 'unknown' ? 'answered "Don\'t know"' : `answered "${answerDisplay(reason.linkId) || 'Yes'}"`;
  label.append(
    el('span', 'ack-question', `“${itemText(reason.linkId)}”`),
    el('span', 'ack-meta', `${reason.linkId} · ${reason.severity} · ${found}`),
    el('span', 'ack-rationale', reason.rationale || ''),
  );
  for (const evidence of reason.evidence) label.append(el('span', 'ack-evidence', `Chart: ${describeEvidence(evidence)}`));
  return label;
}

function acknowledgementRow(reason) {
  const row = el('div', 'option option--acknowledge');
  const checkbox = el('input');
  checkbox.type = 'checkbox';
  checkbox.className = 'acknowledge';
  checkbox.value = reason.linkId;
  checkbox.id = `ack--${reason.linkId}`;
  checkbox.checked = state.acknowledged.has(reason.linkId);
  const label = el('label');
  label.setAttribute('for', checkbox.id);
  row.append(checkbox, reasonLabel(reason, label));
  return row;
}

function ruleOutRow(reason) {
  const row = el('div', 'option option--rule-out');
  const text = reasonLabel(reason, el('div', 'rule-out-text'));
  const select = el('select', 'rule-out');
  select.id = `rule-out--${reason.linkId}`;
  select.dataset.linkId = reason.linkId;
  const label = el('label', 'rule-out-label', 'What was done today to rule it out?');
  label.setAttribute('for', select.id);
  select.append(new Option('Choose…', ''));
  const chosen = state.ruledOut.get(reason.linkId);
  for (const coding of reason.ruleOutReasons) {
    const option = new Option(coding.display || coding.code, coding.code);
    option.selected = Boolean(chosen && chosen.code === coding.code);
    select.append(option);
  }
  row.append(text, label, select);
  return row;
}
function renderDecisionError() {
  const box = $('decision');
  box.removeAttribute('data-outcome');
  $('decision-icon').textContent = '!';
  $('decision-text').textContent = 'The decision could not be checked. See the error above.';
  $('reasons').replaceChildren();
  show($('reasons'), false);
  renderAcknowledgements([]);
}

// ---------------------------------------------------------------------------------------------
// Giving: when it is allowed, and what happens on Print / Send to portal
// ---------------------------------------------------------------------------------------------

/** Pre-filled answers whose confirmation box is not ticked. */
function unconfirmedPrefills() {
  return [...state.prefilled.keys()].filter((linkId) => {
    const box = document.getElementById(`confirm--${linkId}`);
    return box && !box.checked;
  });
}

/** Why giving is not allowed now, or '' when it is. */
function giveBlockedReason() {
  if (state.giving) return 'Giving the handout…';
  if (state.decisionError) return 'Not allowed: the decision could not be checked.';
  if (!state.decision || state.decisionVersion !== state.answersVersion) return 'Checking the answers…';
  const { outcome, reasons } = state.decision;
  if (outcome === 'CONTRAINDICATED') {
    const why = reasons.filter((r) => r.raises === 'CONTRAINDICATED').map((r) => (r.severity === 'absolute'
      ? `${r.linkId} is an absolute contraindication`
      : `${r.linkId} rules the handout out (${r.severity})`));
    return `Not allowed: ${why.join('; ') || 'the handout is contraindicated'}.`;
  }
  if (outcome === 'INCOMPLETE') return 'Not allowed yet: answer every required question.';
  if (outcome !== 'ELIGIBLE' && outcome !== 'REVIEW') return `Not allowed: unknown decision ${outcome}.`;
  if (unconfirmedPrefills().length) return 'Confirm the answers from the chart first.';
  if (outcome === 'REVIEW') {
    const flagged = reasons.filter((r) => r.raises === 'REVIEW');
    if (flagged.some((r) => r.needed === 'acknowledge' && !state.acknowledged.has(r.linkId))) {
      return 'Acknowledge every flagged item first.';
    }
    if (flagged.some((r) => r.needed === 'rule-out' && !state.ruledOut.has(r.linkId))) {
      return 'Record what was done today to rule out each absolute item answered "Don\'t know".';
    }
  }
  return '';
}

/** Enables the give buttons only when allowed, and says why not otherwise. */
function updateGiveState() {
  if (state.given || !state.practitioner) return;
  const reason = giveBlockedReason();
  $('print').disabled = Boolean(reason);
  $('portal').disabled = Boolean(reason);
  const line = $('give-blocked-reason');
  if (line.textContent !== reason) line.textContent = reason;
}

/** Without a practitioner to record as giver, the buttons are replaced by an error. */
function setUpGiveArea(problem) {
  if (state.practitioner) return;
  show($('give-actions'), false);
  show($('give-blocked-reason'), false);
  renderError($('give-error'), new AppError(`${problem ? problem + ' ' : ''}`
    + 'The app does not know which practitioner is giving the handout, so it cannot be given here.'));
}

/** Stores the answers as a completed QuestionnaireResponse, once per set of answers. */
async function storeResponse() {
  const items = answeredItems();
  const signature = JSON.stringify(items);
  if (state.stored && state.stored.signature === signature) return state.stored.id;
  const response = buildResponse({
    author: { reference: state.practitioner },
    authored: new Date().toISOString(),
  });
  const { body, headers } = await fhir('QuestionnaireResponse', {
    method: 'POST',
    body: response,
    extraHeaders: { Prefer: 'return=representation' },
  });
  const id = (body && body.id) || idFrom(headers.get('Location') || headers.get('Content-Location'), 'QuestionnaireResponse');
  if (!id) throw new AppError('The server stored the answers but did not say where.');
  state.stored = { signature, id };
  return id;
}

/** The $give-education Parameters. */
function giveParameters(responseId, medium) {
  const parameter = [
    { name: 'questionnaireResponse', valueReference: { reference: `QuestionnaireResponse/${responseId}` } },
    { name: 'medium', valueCode: medium },
    { name: 'practitioner', valueReference: { reference: state.practitioner } },
  ];
  for (const linkId of acknowledgedNow()) parameter.push({ name: 'acknowledge', valueString: linkId });
  for (const [linkId, coding] of ruledOutNow()) {
    parameter.push({ name: 'ruledOut', part: [{ name: 'item', valueString: linkId }, { name: 'reason', valueCoding: coding }] });
  }
  return { resourceType: 'Parameters', parameter };
}

/** The rule-out reasons chosen for items that the current decision still asks them for. */
function ruledOutNow() {
  const wanted = state.decision && state.decision.outcome === 'REVIEW'
    ? state.decision.reasons.filter((r) => r.needed === 'rule-out').map((r) => r.linkId) : [];
  return [...state.ruledOut].filter(([linkId]) => wanted.includes(linkId));
}

/** The acknowledged linkIds that are still flagged by the current decision. */
function acknowledgedNow() {
  const flagged = state.decision && state.decision.outcome === 'REVIEW'
    ? state.decision.reasons.filter((r) => r.needed === 'acknowledge').map((r) => r.linkId) : [];
  return flagged.filter((linkId) => state.acknowledged.has(linkId));
}

async function give(medium) {
  if (state.giving || state.given || giveBlockedReason()) return;
  state.giving = true;
  updateGiveState();
  show($('give-error'), false);
  const progress = $('give-progress');
  let given = null;
  try {
    progress.textContent = 'Recording the answers…';
    const responseId = await storeResponse();
    progress.textContent = medium === 'print' ? 'Preparing the handout for printing…' : 'Sending the handout to the portal…';
    const { body } = await fhir(`Encounter/${encodeURIComponent(state.encounterId)}/$give-education`, {
      method: 'POST',
      body: giveParameters(responseId, medium),
    });
    if (!body || body.resourceType !== 'DocumentReference' || !body.id) {
      throw new AppError('The server did not return the record of the handout.');
    }
    given = body;
  } catch (error) {
    renderError($('give-error'), error, 'The handout was not given.');
  } finally {
    state.giving = false;
    progress.textContent = '';
    updateGiveState();
  }
  if (!given) return;
  state.given = given;
  showGiven(given);
  if (medium === 'print') {
    try {
      await openPdf(given.id);
    } catch (error) {
      renderError($('give-error'), error);
    }
  }
}

/** "Given: <title> version <v> (<language>)" from the DocumentReference, then teach-back. */
function showGiven(documentReference) {
  const attachment = ((documentReference.content || [])[0] || {}).attachment || {};
  const canonical = (extension(documentReference, HANDOUT_VERSION_EXT) || {}).valueCanonical || '';
  const version = canonical.includes('|') ? canonical.slice(canonical.indexOf('|') + 1) : 'unknown';
  $('given-version').textContent = `Given: ${attachment.title || 'handout'} version ${version} (${attachment.language || 'unknown language'})`;
  show($('confirmation'), true);
  show($('give-actions'), false);
  show($('give-blocked-reason'), false);
  lockAnswers();
  show($('teach-back-section'), true);
  $('confirmation').setAttribute('tabindex', '-1');
  $('confirmation').focus();
}

/** After giving, the answers are on record: no more changes. */
function lockAnswers() {
  document.querySelectorAll('#questionnaire input, #acknowledge-list input, #acknowledge-list select').forEach((input) => {
    input.disabled = true;
  });
  show($('answers-locked'), true);
}

/** Opens the recorded PDF in a new window (with the token as a blob in SMART mode). */
async function openPdf(documentId) {
  const path = `DocumentReference/${encodeURIComponent(documentId)}/$render?format=pdf`;
  let url = fhirUrl(path);
  if (state.token) {
    const response = await fetchWithTimeout(url, { headers: fhirHeaders(false, 'application/pdf, application/fhir+json;q=0.5') });
    if (!response.ok) {
      throw new AppError(`The handout was given, but the PDF could not be loaded (${response.status}).`, response.status,
        outcomeMessages(await readJson(response)));
    }
    url = URL.createObjectURL(await response.blob());
  }
  const link = $('open-pdf');
  link.setAttribute('href', url);
  show($('pdf-link-row'), true);
  const opened = window.open(url, '_blank');
  if (!opened) link.textContent = 'The browser blocked the new window: open the printable PDF';
}

// ---------------------------------------------------------------------------------------------
// Handout preview ($preview-education), refreshed while answering
// ---------------------------------------------------------------------------------------------

const schedulePreview = debounce(loadPreview, PREVIEW_DELAY_MS);

async function loadPreview() {
  const status = $('preview-status');
  const decision = state.decision;
  if (state.given || !decision || state.decisionVersion !== state.answersVersion) return;
  if (decision.outcome === 'INCOMPLETE') {
    status.textContent = 'The preview is updated once every required question is answered.';
    return;
  }
  const request = ++state.previewRequest;
  const parameter = [{ name: 'response', resource: buildResponse() }];
  for (const linkId of acknowledgedNow()) parameter.push({ name: 'acknowledge', valueString: linkId });
  status.textContent = 'Updating the preview…';
  try {
    const { body } = await fhir(`Encounter/${encodeURIComponent(state.encounterId)}/$preview-education`, {
      method: 'POST',
      body: { resourceType: 'Parameters', parameter },
    });
    if (request !== state.previewRequest) return; // a newer preview is on its way
    const list = (body && body.parameter) || [];
    const html = valueOf(partsNamed(list, 'html')[0]);
    const language = valueOf(partsNamed(list, 'language')[0]);
    const version = valueOf(partsNamed(list, 'version')[0]);
    // The handout HTML goes only into a sandboxed iframe (no scripts, no same-origin access).
    $('preview').srcdoc = html || '';
    $('preview-language').textContent = `Language: ${language || 'unknown'} · version ${version || 'unknown'}`;
    if (!html) status.textContent = 'The server returned an empty preview.';
    else if (state.decision && state.decision.outcome === 'CONTRAINDICATED') {
      status.textContent = 'Preview only: this handout must not be given to this patient.';
    } else status.textContent = '';
  } catch (error) {
    if (request !== state.previewRequest) return;
    const details = error.details && error.details.length ? ` ${error.details.join(' ')}` : '';
    status.textContent = `The preview could not be loaded: ${error.message}${details}`;
  }
}

// ---------------------------------------------------------------------------------------------
// Teach-back
// ---------------------------------------------------------------------------------------------

async function recordTeachBack() {
  const chosen = document.querySelector('input[name="teach-back"]:checked');
  const errorBox = $('teach-back-error');
  show(errorBox, false);
  if (!chosen) {
    renderError(errorBox, new AppError('Choose what the patient said back first.'));
    return;
  }
  if (!state.given) return;
  const button = $('record-teach-back');
  button.disabled = true;
  try {
    await fhir(`Encounter/${encodeURIComponent(state.encounterId)}/$record-teach-back`, {
      method: 'POST',
      body: {
        resourceType: 'Parameters',
        parameter: [
          { name: 'document', valueReference: { reference: `DocumentReference/${state.given.id}` } },
          { name: 'result', valueCode: chosen.value },
          { name: 'practitioner', valueReference: { reference: state.practitioner } },
        ],
      },
    });
    $('teach-back-saved').textContent = 'Teach-back recorded.';
    show($('teach-back-saved'), true);
    document.querySelectorAll('#teach-back input').forEach((input) => { input.disabled = true; });
  } catch (error) {
    renderError(errorBox, error);
    button.disabled = false;
  }
}

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

function onFormChange(event) {
  const target = event.target;
  if (target.type === 'radio') {
    state.answersVersion += 1;
    if (state.practitioner) show($('give-error'), false); // an earlier refusal was about other answers
    scheduleEvaluate();
  }
  updateGiveState();
}

function onAcknowledgeChange(event) {
  const target = event.target;
  if (target.classList.contains('acknowledge')) {
    if (target.checked) state.acknowledged.add(target.value);
    else state.acknowledged.delete(target.value);
  } else if (target.classList.contains('rule-out')) {
    const reason = state.decision && state.decision.reasons.find((r) => r.linkId === target.dataset.linkId);
    const coding = reason && reason.ruleOutReasons.find((c) => c.code === target.value);
    if (coding) state.ruledOut.set(target.dataset.linkId, coding);
    else state.ruledOut.delete(target.dataset.linkId);
  } else {
    return;
  }
  updateGiveState();
  schedulePreview();
}

function wireEvents() {
  $('questionnaire').addEventListener('change', onFormChange);
  $('questionnaire').addEventListener('submit', (event) => event.preventDefault());
  $('acknowledge-list').addEventListener('change', onAcknowledgeChange);
  $('print').addEventListener('click', () => give('print'));
  $('portal').addEventListener('click', () => give('portal'));
  $('record-teach-back').addEventListener('click', recordTeachBack);
}

wireEvents();
main();
