#!/usr/bin/env node
// The `vajra` command. Runs the TypeScript sources through tsx's loader, so a checkout needs no
// build step for the CLI (the renderer is built by `npm run build`).
import { register } from 'tsx/esm/api';

register();
await import('../main/cli/index.ts');
