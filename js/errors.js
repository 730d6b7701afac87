// The errors the package throws, shared by the entry and the flows' helpers.

/** Every error this library throws: a real `Error` with a stable `name` and `code`. */
export class CognitoWasmError extends Error {
  constructor({ name, code, message }) {
    super(message);
    Object.defineProperty(this, 'name', { value: name, writable: true, configurable: true });
    this.code = code;
  }
}

export function error(name, code, message) {
  return new CognitoWasmError({ name, code, message });
}

/** What a wasm rejection becomes: the error it describes (anything else is passed on as it is). */
export function toError(thrown) {
  if (typeof thrown === 'string') {
    try {
      return new CognitoWasmError(JSON.parse(thrown));
    } catch {
      return error('ProtocolError', 'ProtocolError', thrown);
    }
  }
  return thrown;
}
