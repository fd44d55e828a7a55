// The borders between the four parts of src/, enforced rather than described, plus the two mistakes a
// type checker lets through: a promise nobody awaits or catches, and code nobody uses.
//   src/engine     never loads `vscode` (it runs in a child process and from the CLI)
//   src/shared     neither `vscode` nor TensorFlow.js: the protocol every side loads
//   src/webview    browser code: no `vscode`, no TensorFlow.js, nothing from src/engine
//   src/extension  VS Code glue: no TensorFlow.js (the engine process runs the models); of src/engine
//                  only the host-side, tfjs-free parts: engineProcess.ts (starts the engine) and doctor/
// `npm run lint` runs it; `npm test` runs it first.
import tseslint from 'typescript-eslint';

const vscode = { name: 'vscode', message: 'Only src/extension may use the VS Code API.' };
const tfjs = { group: ['@tensorflow/*'], message: 'TensorFlow.js runs in the engine process only (src/engine).' };
const engineButHostSide = {
  regex: '(^|/)engine/(?!engineProcess$|doctor/[^/]+$)',
  message: 'The extension reaches the engine through EngineClient; only engineProcess.ts and doctor/ run in the host.',
};
const engine = { group: ['**/engine', '**/engine/**'], message: 'The page talks to the engine only through the host (src/shared/webviewApi.ts).' };

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.wat', 'src/engine/kernels/simdKernelsWasm.ts'] },
  {
    files: ['src/**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode], patterns: [tfjs] }] },
  },
  {
    files: ['src/webview/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscode], patterns: [tfjs, engine] }] },
  },
  {
    files: ['src/extension/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [tfjs, engineButHostSide] }] },
  },
);
