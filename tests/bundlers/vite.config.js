// Vite, build and dev server: the README's one setting (keep the package out of dependency pre-bundling, whose
// copy of the glue would look for the .wasm in Vite's cache), the rest only says where the test app is.
export default {
  root: 'app',
  optimizeDeps: { exclude: ['cognito-wasm'] },
  build: { outDir: '../dist/vite', emptyOutDir: true },
  logLevel: 'warn',
};
