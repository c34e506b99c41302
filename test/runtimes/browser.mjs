// Entry for headless Chromium: scripts/test-runtimes.mjs bundles this file (and through it
// smoke.mjs and the built dist/) with esbuild for the browser, loads it in a page, and reads
// the lines this script writes into <pre id="result">. The last line is "N passed, N failed";
// data-done="1" on the element says the run finished (a page that never sets it failed).
import { cases, runCases } from './smoke.mjs';

const out = document.getElementById('result');
const log = (line) => {
  out.textContent += `${line}\n`;
};
log(`# ${navigator.userAgent}`);
// No Buffer in a browser: the portable TypedArray.prototype.indexOf search must be the one in use.
runCases(cases({ byteSearch: 'portable' }), log)
  .catch((e) => log(`not ok - harness: ${e && e.stack ? e.stack : e}`))
  .finally(() => out.setAttribute('data-done', '1'));
