#!/usr/bin/env node
// Regenerates what the pure bundle builder embeds, from the real files of the bundle:
//   1. server-template/server/package.json + package-lock.json: the bundle server's own lockfile,
//      the closure of onnxruntime-node (and the optional @duckdb/node-api for Parquet) cut out of
//      the workspace's package-lock.json, so `npm ci` installs exactly the versions Vajra tests;
//   2. server-sources.generated.ts: every file under server-template/ as a string, by bundle path.
// Run after editing anything under server-template/: `node app/export/generate-sources.mjs`.
// server-sources.test.ts fails when the generated module is stale.

import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const templateDir = join(here, 'server-template');
const workspaceLock = JSON.parse(readFileSync(join(here, '..', '..', 'package-lock.json'), 'utf8'));

const ROOTS = { dependencies: ['onnxruntime-node'], optionalDependencies: ['@duckdb/node-api'] };
const KEEP = ['version', 'resolved', 'integrity', 'license', 'dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'libc', 'hasInstallScript', 'funding'];

/** npm's lookup: `name` from the package at `from` is the nearest node_modules/name upwards. */
function resolve(packages, from, name) {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

function closure(packages) {
  const required = new Set();
  const reached = new Set();
  const visit = (path, optional) => {
    if (!optional) {
      if (required.has(path)) return;
      required.add(path);
    } else if (reached.has(path) || required.has(path)) return;
    reached.add(path);
    const entry = packages[path];
    const edges = [...Object.keys(entry.dependencies ?? {}).map((n) => [n, optional]), ...Object.keys(entry.optionalDependencies ?? {}).map((n) => [n, true])];
    for (const [name, isOptional] of edges) {
      const target = resolve(packages, path, name);
      if (target) visit(target, isOptional);
      else if (!isOptional) throw new Error(`${path} needs ${name}, which the workspace lockfile lacks`);
    }
  };
  for (const name of ROOTS.dependencies) visit(`node_modules/${name}`, false);
  for (const name of ROOTS.optionalDependencies) visit(`node_modules/${name}`, true);
  // A package first reached optionally and later required: visit again as required.
  for (const path of [...required]) visit(path, false);
  return { all: [...reached].sort(), required };
}

function lockfile(pkg) {
  const packages = workspaceLock.packages;
  const { all, required } = closure(packages);
  const out = { '': { name: pkg.name, version: pkg.version, dependencies: pkg.dependencies, optionalDependencies: pkg.optionalDependencies, engines: pkg.engines } };
  for (const path of all) {
    const entry = {};
    for (const key of KEEP) if (packages[path][key] !== undefined) entry[key] = packages[path][key];
    if (!required.has(path)) entry.optional = true;
    out[path] = entry;
  }
  return { name: pkg.name, version: pkg.version, lockfileVersion: 3, requires: true, packages: out };
}

function serverPackage() {
  const version = (name) => workspaceLock.packages[`node_modules/${name}`].version;
  return {
    name: 'vajra-bundle-server',
    version: '1.0.0',
    private: true,
    description: 'Model server of a Vajra bundle (MLflow scoring protocol and KServe v2 on onnxruntime-node)',
    type: 'module',
    main: 'index.js',
    scripts: { start: 'node index.js' },
    engines: { node: '>=20' },
    dependencies: Object.fromEntries(ROOTS.dependencies.map((n) => [n, version(n)])),
    optionalDependencies: Object.fromEntries(ROOTS.optionalDependencies.map((n) => [n, version(n)])),
    // onnxruntime-node's postinstall only fetches GPU (CUDA) binaries; the CPU ones are in the tarball.
    allowScripts: { 'onnxruntime-node': false },
  };
}

function listFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return d.name === 'node_modules' ? [] : listFiles(path);
    return [path];
  });
}

const pkg = serverPackage();
writeFileSync(join(templateDir, 'server', 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(join(templateDir, 'server', 'package-lock.json'), `${JSON.stringify(lockfile(pkg), null, 2)}\n`);

const files = listFiles(templateDir).map((path) => relative(templateDir, path).split(sep).join('/')).sort();
const entries = files.map((path) => `  ${JSON.stringify(path)}: ${JSON.stringify(readFileSync(join(templateDir, path), 'utf8'))},`);
const module = [
  '// Generated by app/export/generate-sources.mjs from app/export/server-template/. Do not edit.',
  '',
  '/** Every file of the bundle\'s server, batch scorer and browser scorer, by bundle path. */',
  'export const TEMPLATE_FILES: Readonly<Record<string, string>> = {',
  ...entries,
  '};',
  '',
].join('\n');
writeFileSync(join(here, 'server-sources.generated.ts'), module);
process.stdout.write(`wrote ${files.length} template files and the server lockfile (${Object.keys(lockfile(pkg).packages).length - 1} packages)\n`);
