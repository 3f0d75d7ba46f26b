// Layer boundaries of ARCHITECTURE.md, enforced. A forbidden import fails `npm test`.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';
import { readdirSync, existsSync } from 'node:fs';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const nodeOnlyPackages = ['@duckdb/node-api', 'onnxruntime-node', 'ws', 'tsx', 'tsx/*', 'electron', 'electron/*'];
const uiPackages = ['react', 'react/*', 'react-dom', 'react-dom/*', '@xyflow/*', 'monaco-editor', 'monaco-editor/*', 'zustand', 'zustand/*', 'onnxruntime-web', 'onnxruntime-web/*', '@duckdb/duckdb-wasm', '@observablehq/plot'];

/** @param {string[]} paths @param {string[]} patterns @param {string} message */
function forbid(paths, patterns, message) {
  return { paths: paths.map((name) => ({ name, message })), patterns: patterns.map((group) => ({ group: [group], message })) };
}

function restrict(...parts) {
  return ['error', { paths: parts.flatMap((p) => p.paths), patterns: parts.flatMap((p) => p.patterns) }];
}

const featureDirs = existsSync('renderer/features')
  ? readdirSync('renderer/features', { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
  : [];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'examples/**', 'test-results/**', 'playwright-report/**', '**/*.d.ts', '.cache/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    files: ['scripts/**/*.js', 'bin/**/*.js', 'eslint.config.js', 'app/export/server-template/**/*.js', '**/*.mjs', '**/*.cjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['app/**/*.ts'],
    ignores: ['app/**/*.test.ts', 'app/**/*.testkit.ts'],
    rules: {
      'no-restricted-imports': restrict(
        forbid(nodeBuiltins, [], 'app/ is the pure core: no node:* (ARCHITECTURE.md).'),
        forbid([...nodeOnlyPackages, ...uiPackages], [], 'app/ is the pure core: no Node, Electron or UI libraries.'),
        forbid([], ['**/main/**', '**/renderer/**', '../../main', '../../renderer'], 'app/ imports only app/.'),
      ),
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'Inject a clock in app/ (STYLE.md): no new Date() without a time.' },
        { selector: "MemberExpression[object.name='Date'][property.name='now']", message: 'Inject a clock in app/ (STYLE.md): no Date.now().' },
      ],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use the seeded rng in app/base/rng.' }],
    },
  },
  {
    files: ['main/backend/**/*.ts', 'main/server/**/*.ts', 'main/cli/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict(
        forbid(['electron', ...uiPackages], [], 'The backend, server and CLI run without Electron and without UI libraries.'),
        forbid([], ['**/renderer/**', '**/electron/**', '**/preload/**'], 'main/backend, server and cli never import the renderer or Electron wiring.'),
      ),
    },
  },
  {
    // Headless reports draw notebook charts with Plot over jsdom (no UI library otherwise).
    files: ['main/backend/report/plot-svg.ts'],
    rules: {
      'no-restricted-imports': restrict(
        forbid(['electron', ...uiPackages.filter((p) => p !== '@observablehq/plot')], [], 'The backend, server and CLI run without Electron and without UI libraries.'),
        forbid([], ['**/renderer/**', '**/electron/**', '**/preload/**'], 'main/backend, server and cli never import the renderer or Electron wiring.'),
      ),
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': restrict(
        forbid(nodeBuiltins, [], 'The renderer runs in a browser: no node:*.'),
        forbid(['@duckdb/node-api', 'onnxruntime-node', 'ws', 'electron'], [], 'The renderer talks to the backend through renderer/bridge only.'),
        forbid([], ['**/main/**'], 'The renderer never imports main/.'),
      ),
    },
  },
  ...featureDirs.map((feature) => ({
    files: [`renderer/features/${feature}/**/*.ts`, `renderer/features/${feature}/**/*.tsx`],
    rules: {
      'no-restricted-imports': restrict(
        forbid(nodeBuiltins, [], 'The renderer runs in a browser: no node:*.'),
        forbid(['@duckdb/node-api', 'onnxruntime-node', 'ws', 'electron'], [], 'The renderer talks to the backend through renderer/bridge only.'),
        forbid([], ['**/main/**'], 'The renderer never imports main/.'),
        forbid([], featureDirs.filter((f) => f !== feature).flatMap((f) => [`../${f}`, `../${f}/**`, `**/features/${f}/**`]), 'A feature folder does not import another feature: share through stores or app/.'),
      ),
    },
  })),
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'e2e/**', 'bench/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
