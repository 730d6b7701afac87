// Vite config for the demo app. The app imports cognito-wasm as a normal npm dependency (a `file:..` link to the
// repo's package); the package instantiates its wasm itself, so no wasm plugin is needed.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));
const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

// `cognito-wasm/react` is the package's React entry. Until the package.json of the checkout exports it, point the
// specifier at the file directly, so the demo builds either way; once the export exists this alias is unused.
const alias = packageJson.exports?.['./react']
  ? {}
  : { 'cognito-wasm/react': fileURLToPath(new URL('../js/react.js', import.meta.url)) };

export default defineConfig({
  // Relative asset URLs: the built app works from any path, and finds its runtime config.json next to index.html.
  base: './',
  plugins: [react()],
  resolve: {
    alias,
    // The linked package lives outside www/, where there is no react: make its `import 'react'` use the app's copy.
    dedupe: ['react', 'react-dom'],
  },
  // The package's glue loads the .wasm with `new URL(..., import.meta.url)`; pre-bundling would break that URL.
  optimizeDeps: { exclude: ['cognito-wasm'] },
  server: { fs: { allow: [packageRoot] } },
  build: { target: 'es2022' },
});
