// Entry point for `node --test frontend/e2e/`: given a folder, Node's test
// runner only picks up files named like test.mjs or *.test.mjs.
import './diagnostics.e2e.mjs';
import './a11y.e2e.mjs';
