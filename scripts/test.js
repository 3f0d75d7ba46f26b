// `npm test`: type-check + lint + unit tests + build + end-to-end, non-zero on any failure.
// Every step runs even after a failure, so one run shows everything that is wrong.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { electronBinary } from './electron-binary.js';

const steps = [
  { name: 'typecheck', cmd: 'npm', args: ['run', '-s', 'typecheck'] },
  { name: 'lint', cmd: 'npm', args: ['run', '-s', 'lint'] },
  { name: 'unit', cmd: 'npx', args: ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/unit.json'] },
  { name: 'build', cmd: 'npm', args: ['run', '-s', 'build'] },
  { name: 'e2e', cmd: 'npx', args: ['playwright', 'test'] },
];

const only = process.argv.slice(2);
mkdirSync('test-results', { recursive: true });
const results = [];
for (const step of steps) {
  if (only.length > 0 && !only.includes(step.name)) continue;
  const started = Date.now();
  console.log(`\n━━ ${step.name} ━━ ${step.cmd} ${step.args.join(' ')}`);
  if (step.name === 'e2e' && !electronBinary()) console.log('electron project: skipped — the Electron binary is not on this machine (it cannot be downloaded here); the web project runs the same specs.');
  const run = spawnSync(step.cmd, step.args, { stdio: 'inherit', env: { ...process.env, FORCE_COLOR: process.env.CI ? '0' : '1' } });
  results.push({ name: step.name, ok: run.status === 0, seconds: (Date.now() - started) / 1000 });
}

function counts() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  if (existsSync('test-results/unit.json')) {
    const unit = JSON.parse(readFileSync('test-results/unit.json', 'utf8'));
    passed += unit.numPassedTests ?? 0;
    failed += unit.numFailedTests ?? 0;
    skipped += (unit.numPendingTests ?? 0) + (unit.numTodoTests ?? 0);
  }
  if (existsSync('test-results/e2e.json')) {
    const e2e = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
    passed += e2e.stats?.expected ?? 0;
    failed += (e2e.stats?.unexpected ?? 0) + (e2e.stats?.flaky ?? 0) * 0;
    skipped += e2e.stats?.skipped ?? 0;
  }
  return { passed, failed, skipped };
}

console.log('\n━━ summary ━━');
for (const r of results) console.log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name.padEnd(10)} ${r.seconds.toFixed(1)} s`);
const { passed, failed, skipped } = counts();
const stepFailures = results.filter((r) => !r.ok).length;
console.log(`tests: ${passed} passed, ${failed + (failed === 0 ? stepFailures : 0)} failed, ${skipped} skipped`);
process.exit(stepFailures > 0 ? 1 : 0);
