// The Smart Forms test page: CSIRO's renderer (npm @aehrc/smart-forms-renderer) shows the
// questionnaire it is given, and the test reads the response the renderer holds. SmartFormsIT
// bundles this file with esbuild from the packages npm installed under target/npm/.
import { createElement } from 'react';
import { createRoot } from 'react-dom/client';
import { SmartFormsRenderer, getResponse } from '@aehrc/smart-forms-renderer';

window.smartForms = {
  render(questionnaire) {
    // Terminology goes to the page's own /fhir: this page reaches no other server.
    createRoot(document.getElementById('form')).render(createElement(SmartFormsRenderer,
      { questionnaire, terminologyServerUrl: location.origin + '/fhir' }));
  },
  response: () => getResponse(),
};
