// webpack 5 as a plain app configures it: no wasm setting (webpack emits the file `new URL(..., import.meta.url)`
// names as an asset, and top-level await is on by default).
import { fileURLToPath } from 'node:url';

export default {
  mode: 'production',
  entry: './app/main.js',
  output: { path: fileURLToPath(new URL('dist/webpack', import.meta.url)), filename: 'main.js', clean: true },
};
