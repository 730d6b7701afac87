// Browser and bundler entry. The wasm is instantiated once, here, with top-level await, so that importers get
// ready-to-use classes and no bundler plugin is needed: the glue loads the .wasm through
// `new URL('cognito_wasm_bg.wasm', import.meta.url)`, which Vite, webpack 5 and browsers understand.
import init, * as wasm from '../pkg/cognito_wasm.js';
import { api } from './auth.js';

await init();

export const { CognitoAuth, verifyToken } = api(wasm);
export { CognitoWasmError } from './auth.js';
