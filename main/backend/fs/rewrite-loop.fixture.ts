// Child process for atomic.test.ts: rewrites one file forever, alternating two large contents,
// until it is killed with SIGKILL. Prints "ready" once the first rewrite is durable.
import { writeFileAtomic } from './atomic';

const [path, a, b] = process.argv.slice(2) as [string, string, string];
let flip = false;
await writeFileAtomic(path, a);
process.stdout.write('ready\n');
for (;;) {
  flip = !flip;
  await writeFileAtomic(path, flip ? b : a);
}
