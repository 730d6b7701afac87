// Node entry (the "node" export condition): Node's fetch cannot load file: URLs, so the .wasm is read from disk.
import { readFile } from 'node:fs/promises';
import { initSync } from '../pkg/cognito_wasm.js';

initSync({ module: await readFile(new URL('../pkg/cognito_wasm_bg.wasm', import.meta.url)) });

export { CognitoAuth, verifyToken } from '../pkg/cognito_wasm.js';
