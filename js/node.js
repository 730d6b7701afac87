// Node entry (the "node" export condition): Node's fetch cannot load file: URLs, so the .wasm is read from disk. A
// back end has no download to save: it loads the module with the flows, which has everything, at once.
import { readFile } from 'node:fs/promises';
import * as wasm from '../pkg/cognito_wasm_flows.js';
import { api } from './auth.js';

wasm.initSync({ module: await readFile(new URL('../pkg/cognito_wasm_flows_bg.wasm', import.meta.url)) });

export const { CognitoAuth, verifyToken } = api(wasm);
export { CognitoWasmError } from './errors.js';
