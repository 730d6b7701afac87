// Browser and bundler entry. The session core's wasm is instantiated here, with top-level await, so that importers
// get ready-to-use classes and no bundler plugin is needed: the glue loads the .wasm through
// `new URL('cognito_wasm_bg.wasm', import.meta.url)`, which Vite, webpack 5 and browsers understand. The flows
// module (sign-up, sign-in, account calls, verifyToken) is a dynamic import, fetched on the first call that needs it.
import init, { Core } from '../pkg/cognito_wasm.js';
import { api } from './auth.js';

await init();

async function loadFlows() {
  const flows = await import('../pkg/cognito_wasm_flows.js');
  await flows.default();
  return flows;
}

// Only `Core`, by name: a namespace object would keep every export of the glue (initSync) in the bundle.
export const { CognitoAuth, verifyToken } = api({ Core }, loadFlows);
export { CognitoWasmError } from './errors.js';
