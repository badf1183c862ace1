// Pre-fills the questionnaire with CSIRO's sdc-populate (npm @aehrc/sdc-populate) in Node, from
// the FHIR server itself, for each patient and encounter given, and writes each patient's answers
// as linkId -> "system|code". SmartFormsIT compares them with $populate's.
//
//   node sdc-populate-check.mjs <fhir base> <questionnaire.json> <out.json> <now, epoch ms> <patient>=<encounter>...
//
// The clock runs at the given time, as the server's: the windowed rules count back from today().
import { readFileSync, writeFileSync } from 'node:fs';
import { populateQuestionnaire } from '@aehrc/sdc-populate';

const [base, questionnaireFile, outFile, now, ...pairs] = process.argv.slice(2);
const Real = Date;
const offset = Number(now) - Real.now();
globalThis.Date = class extends Real {
  constructor(...args) { if (args.length === 0) { super(Real.now() + offset); } else { super(...args); } }
  static now() { return Real.now() + offset; }
};

const root = base.endsWith('/') ? base : base + '/';
async function read(query) {
  const url = /^https?:/.test(query) ? query : root + query;
  const reply = await fetch(url, { headers: { Accept: 'application/fhir+json' } });
  if (!reply.ok) {
    throw new Error(`${url} answered ${reply.status}`);
  }
  return reply.json();
}

const questionnaire = JSON.parse(readFileSync(questionnaireFile, 'utf8'));
const results = {};
for (const pair of pairs) {
  const [patientId, encounterId] = pair.split('=');
  const { populateSuccess, populateResult } = await populateQuestionnaire({
    questionnaire,
    fetchResourceCallback: (query) => read(query),
    fetchResourceRequestConfig: { sourceServerUrl: root },
    patient: await read(`Patient/${patientId}`),
    encounter: await read(`Encounter/${encounterId}`),
  });
  const answers = {};
  const walk = (items) => (items || []).forEach((item) => {
    (item.answer || []).forEach((answer) => {
      const coding = answer.valueCoding || {};
      answers[item.linkId] = `${coding.system}|${coding.code}`;
    });
    walk(item.item);
  });
  walk(populateSuccess && populateResult ? populateResult.populatedResponse.item : []);
  results[patientId] = { success: populateSuccess, answers };
}
writeFileSync(outFile, JSON.stringify(results, null, 2));
