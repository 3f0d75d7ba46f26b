#!/usr/bin/env node
// The `vajra` command. Runs the TypeScript sources through tsx's loader, so a checkout needs no
// build step for the CLI (the renderer is built by `npm run build`).
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  // Worker threads (training, scoring) do not inherit tsx's loader before Node 22.
  process.stderr.write(`vajra needs Node 22 or newer; this is Node ${process.versions.node}. Run it as \`npm run vajra -- …\`, which uses the Node 22 installed with the project.\n`);
  process.exit(3);
}
const { register } = await import('tsx/esm/api');
register();
await import('../main/cli/index.ts');
