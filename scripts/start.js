// `npm start`: builds the renderer when needed, then opens the workbench — the Electron window
// where the Electron binary exists, else the browser shape (`vajra serve`, which opens a browser
// when one is present). Extra arguments go to `vajra serve` (e.g. a workspace folder).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary } from './electron-binary.js';

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const built = 'dist/renderer/index.html';
if (!existsSync(built) || newestMtime('renderer') > statSync(built).mtimeMs || !existsSync('dist/electron/main.mjs')) {
  console.log('Building the renderer…');
  const result = spawnSync('npm', ['run', '-s', 'build'], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const electron = electronBinary();

const args = process.argv.slice(2);
const child = electron
  ? spawn(electron, ['dist/electron/main.mjs', ...args], { stdio: 'inherit' })
  : spawn(process.execPath, ['bin/vajra.js', 'serve', ...args], { stdio: 'inherit' });
if (!electron) console.log('(No Electron binary here: starting the browser shape.)');
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
