import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { contract } from '../../../app/protocol/contract';
import { serveRpc } from '../../../app/protocol/rpc';
import { Backend } from '../../backend/backend';
import { materializeExample } from '../../backend/workspace/examples';
import { UserConfig } from '../../backend/workspace/user-config';
import { startServer } from '../../server/server';
import { mlflowRoute } from '../../server/mlflow-route';
import { runsResource } from '../../backend/services/runs-service';
import { isLoopback } from '../../server/security';
import { serveToken } from '../../server/token-file';
import { Exit, UsageError, type CliContext, type Command } from '../command';
import { configDir, DEFAULT_EXAMPLE, examplesDir, packageVersion, rendererDir, userWorkspacesDir } from '../paths';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Serve the workbench to a browser on this machine (loopback, token required).',
  usage: 'vajra serve [WORKSPACE] [--port N] [--host H] [--no-open] [--new-token]',
  help: [
    'WORKSPACE            folder to open (default: --workspace, the current folder if it is a',
    '                     workspace, the most recent one, else the bundled example)',
    '--workspace DIR      same as WORKSPACE',
    '--example ID         open a bundled example (copied to ~/Vajra/ID on first use)',
    '--port N             port to listen on (default 8765; 0 picks a free one)',
    '--host H             address to bind (default 127.0.0.1). A non-loopback address exposes',
    '                     the workbench to the network: it needs this flag explicitly and warns.',
    '--no-open            do not open a browser',
    '--new-token          replace the access token kept in the config folder (signs out open',
    '                     pages); otherwise a restarted server keeps it and open pages reconnect',
  ].join('\n'),
  options: {
    workspace: { type: 'string' },
    example: { type: 'string' },
    port: { type: 'string', default: '8765' },
    host: { type: 'string', default: '127.0.0.1' },
    'no-open': { type: 'boolean', default: false },
    'new-token': { type: 'boolean', default: false },
  },
  allowPositionals: true,
  async run(values, positionals, context) {
    const port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port must be a whole number from 0 to 65535, not "${String(values.port)}".`);
    if (positionals.length > 1) throw new UsageError('serve takes at most one WORKSPACE.');
    const host = String(values.host);
    const backend = new Backend({
      version: packageVersion(),
      shape: 'browser',
      configDir: configDir(context.env),
      examplesDir,
      userWorkspacesDir: userWorkspacesDir(context.env),
    });
    const root = await pickWorkspace(positionals[0] ?? (values.workspace as string | undefined), values.example as string | undefined, context);
    await backend.openWorkspace(root);
    if (!existsSync(join(rendererDir, 'index.html'))) context.stderr('warning: the renderer is not built yet; run `npm run build` (npm start does it for you).\n');
    const server = await startServer({
      host,
      port,
      token: await serveToken(configDir(context.env), values['new-token'] === true),
      rendererDir,
      routes: [mlflowRoute(() => runsResource(backend))],
      onConnection(transport) {
        const rpc = serveRpc(contract, backend.handlers(), transport, () => Date.now());
        const unsubscribe = backend.events.subscribe((event, payload) => rpc.emit(event, payload));
        return () => (unsubscribe(), rpc.close());
      },
    }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new Error(`Port ${port} is in use. Pick another with --port, or --port 0 for any free port.`);
      throw error;
    });
    if (!isLoopback(host)) context.stderr(`warning: serving on ${host}, reachable from the network. Anyone with the token can run code here.\n`);
    context.stdout(`Vajra ${packageVersion()} is serving ${root}\n${server.url}\n`);
    if (!values['no-open'] && !context.env.CI) openBrowser(server.url);
    await new Promise<void>((resolveStop) => {
      const stop = () => void server.close().then(() => backend.dispose()).then(resolveStop);
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return Exit.ok;
  },
};

async function pickWorkspace(given: string | undefined, example: string | undefined, context: CliContext): Promise<string> {
  if (example) return materializeExample(examplesDir, example, userWorkspacesDir(context.env));
  if (given) return resolve(context.cwd, given);
  if (existsSync(join(context.cwd, 'vajra.json'))) return context.cwd;
  const recent = await new UserConfig(configDir(context.env)).recent();
  const last = recent.find((r) => existsSync(join(r.root, 'vajra.json')));
  if (last) return last.root;
  return materializeExample(examplesDir, DEFAULT_EXAMPLE, userWorkspacesDir(context.env));
}

function openBrowser(url: string): void {
  const opener = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser here: the URL is printed above.
  }
}
