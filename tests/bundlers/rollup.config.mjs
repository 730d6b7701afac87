// Rollup: node-resolve finds the package in node_modules; import-meta-assets emits the file that
// `new URL(..., import.meta.url)` names (the .wasm) and rewrites the URL. ES output keeps top-level await.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { importMetaAssets } from '@web/rollup-plugin-import-meta-assets';

export default {
  input: 'app/main.js',
  output: { dir: 'dist/rollup', format: 'es' },
  plugins: [nodeResolve({ browser: true }), importMetaAssets()],
};
