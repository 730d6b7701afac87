// Vite config for the demo app. The app imports cognito-wasm as a normal npm dependency (a `file:..` link to the
// repo's package); the package instantiates its wasm itself, so no wasm plugin is needed.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const packageRoot = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  // Relative asset URLs: the built app works from any path, and finds its runtime config.json next to index.html.
  base: './',
  plugins: [react()],
  resolve: {
    // The linked package lives outside www/, where there is no react: make its `import 'react'` use the app's copy.
    dedupe: ['react', 'react-dom'],
  },
  // The package's glue loads the .wasm with `new URL(..., import.meta.url)`; pre-bundling would break that URL.
  optimizeDeps: { exclude: ['cognito-wasm'] },
  server: { fs: { allow: [packageRoot] } },
  build: { target: 'es2022' },
});
