// `npm run dist`: packages the desktop app with electron-builder where the Electron binary exists.
import { spawnSync } from 'node:child_process';
import { electronBinary } from './electron-binary.js';

if (!electronBinary()) {
  console.error('npm run dist: the Electron binary is not available on this machine (it cannot be downloaded here), so the desktop app cannot be packaged; use `vajra serve` instead.');
  process.exit(1);
}
for (const [cmd, args] of [['npm', ['run', '-s', 'build']], ['npx', ['electron-builder', '--config', 'electron-builder.yml', ...process.argv.slice(2)]]]) {
  const result = spawnSync(cmd, args, { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
