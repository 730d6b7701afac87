// Node entry (the "node" export condition): Node's fetch cannot load file: URLs, so the .wasm is read from disk.
import { readFile } from 'node:fs/promises';
import * as wasm from '../pkg/cognito_wasm.js';
import { api } from './auth.js';

wasm.initSync({ module: await readFile(new URL('../pkg/cognito_wasm_bg.wasm', import.meta.url)) });

export const { CognitoAuth, verifyToken } = api(wasm);
export { CognitoWasmError } from './auth.js';
