// The default entry's download: everything `import { CognitoAuth, verifyToken } from 'cognito-wasm'` brings in
// (the minified JS and the .wasm it loads).
export { CognitoAuth, verifyToken } from 'cognito-wasm';
