// Browser and bundler entry. The wasm is instantiated once, here, with top-level await, so that importers get
// ready-to-use classes and no bundler plugin is needed: the glue loads the .wasm through
// `new URL('cognito_wasm_bg.wasm', import.meta.url)`, which Vite, webpack 5, esbuild and browsers all understand.
import init from '../pkg/cognito_wasm.js';

await init();

export { CognitoAuth, verifyToken } from '../pkg/cognito_wasm.js';
