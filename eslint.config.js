// ESLint 9 flat config: ESLint's and typescript-eslint's recommended rules over src/, test/ and bench/.
// Not the type-aware set (recommendedTypeChecked): it needs a TypeScript program per run and costs far more time.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The browser's globals the page uses (no `globals` package for a handful of names). */
const BROWSER_GLOBALS = ['window', 'document', 'location', 'history', 'navigator', 'fetch', 'URL', 'URLSearchParams', 'EventSource', 'Node', 'HTMLElement', 'Event', 'KeyboardEvent', 'AbortController', 'Headers', 'sessionStorage', 'localStorage', 'requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'console', 'performance', 'prompt', 'alert', 'confirm', 'matchMedia', 'CSS', 'TextDecoder', 'queueMicrotask'];

export default tseslint.config(
  { ignores: ['dist/', 'bench/results/', '.kube-dns-sim/', '.prof/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    // The .mjs scripts (bench/, test/helpers/knot-server.mjs) run on Node: its globals are those of the Node running the lint.
    files: ['**/*.mjs'],
    languageOptions: { globals: Object.fromEntries(Object.getOwnPropertyNames(globalThis).map((name) => [name, 'readonly'])) },
  },
  {
    // The web view's page (src/web/client/) runs in the browser; bench/web-first-paint.mjs hands functions to the page (page.evaluate).
    files: ['src/web/client/**/*.js', 'bench/web-first-paint.mjs'],
    languageOptions: { globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, 'readonly'])) },
  },
  {
    rules: {
      // A leading `_` says "unused on purpose": parameters a signature requires, fields dropped from a rest copy.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      // `let x; const f = () => x?.y(); x = new X()`: closures built before the value exists read it later; const would not compile.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
);
