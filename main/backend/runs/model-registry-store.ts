import { mkdir, open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDir, writeFileAtomic } from '../fs/atomic';
import type { Clock } from '../../../app/base/clock';
import { UserInputError, VajraError } from '../../../app/base/errors';
import type { RunId } from '../../../app/base/ids';
import { aliasStateSchema, aliasVersion, emptyAliasState, modelNameSchema, modelVersionSchema, nextVersion, rollbackAlias, setAlias, type AliasState, type ModelVersion } from '../../../app/tracking/model-registry';
import { isMissing } from './metrics-log';
import type { RunStore } from './run-store';

/**
 * The model registry of a workspace, `<workspace>/models/<name>/`:
 * - `versions/<n>.json` one file per version, created exclusively (never overwritten)
 * - `aliases.json`      alias histories, replaced atomically
 * Registering records the model in the producing run's lineage too.
 */
export interface ModelRegistry {
  registerModel(input: { name: string; runId: RunId; artifactPath: string; description?: string }): Promise<ModelVersion>;
  listModels(): Promise<string[]>;
  listVersions(name: string): Promise<ModelVersion[]>;
  getVersion(name: string, version: number): Promise<ModelVersion>;
  getAliases(name: string): Promise<AliasState>;
  /** Points an alias at an existing version. */
  setAlias(name: string, alias: string, version: number): Promise<AliasState>;
  /** Moves an alias back to the version it had before its current assignment. */
  rollbackAlias(name: string, alias: string): Promise<AliasState>;
  /** The version an alias points at, or undefined. */
  resolveAlias(name: string, alias: string): Promise<ModelVersion | undefined>;
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Opens the registry of `workspace`, using `runs` to check and annotate producing runs. */
export function openModelRegistry(workspace: string, runs: RunStore, clock: Clock = { now: () => Date.now() }): ModelRegistry {
  const root = join(workspace, 'models');
  const modelDir = (name: string) => join(root, modelNameSchema.parse(name));
  const queue = new Map<string, Promise<unknown>>();
  function serial<T>(name: string, work: () => Promise<T>): Promise<T> {
    const next = (queue.get(name) ?? Promise.resolve()).then(work, work);
    queue.set(name, next.catch(() => undefined));
    return next;
  }

  async function versionNumbers(name: string): Promise<number[]> {
    try {
      return (await readdir(join(modelDir(name), 'versions'))).map((f) => /^(\d+)\.json$/.exec(f)?.[1]).filter((v): v is string => v !== undefined).map(Number);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  async function writeExclusive(path: string, text: string): Promise<boolean> {
    let handle;
    try {
      handle = await open(path, 'wx', 0o644);
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'EEXIST') return false;
      throw error;
    }
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return true;
  }

  const registry: ModelRegistry = {
    async registerModel(input) {
      const record = await runs.getRun(input.runId);
      const artifact = record.artifacts.find((a) => a.path === input.artifactPath);
      if (!artifact) throw new UserInputError(`Run ${input.runId} has no artifact ${input.artifactPath}`);
      const dir = join(modelDir(input.name), 'versions');
      await mkdir(dir, { recursive: true });
      // Exclusive create: two registrations racing for version n cannot overwrite each other.
      for (;;) {
        const version = nextVersion(await versionNumbers(input.name));
        const entry = modelVersionSchema.parse({ format: 1, name: input.name, version, runId: input.runId, artifactPath: input.artifactPath, sha256: artifact.sha256, createdAt: clock.now(), description: input.description ?? '' });
        if (await writeExclusive(join(dir, `${version}.json`), `${JSON.stringify(entry, null, 2)}\n`)) {
          await fsyncDir(dir);
          await runs.updateRun(input.runId, { lineage: { ...record.lineage, producedModel: { name: input.name, version } } });
          return entry;
        }
      }
    },
    async listModels() {
      try {
        return (await readdir(root, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      } catch (error) {
        if (isMissing(error)) return [];
        throw error;
      }
    },
    async listVersions(name) {
      const numbers = (await versionNumbers(name)).sort((a, b) => a - b);
      return Promise.all(numbers.map((n) => registry.getVersion(name, n)));
    },
    async getVersion(name, version) {
      const raw = await readJson(join(modelDir(name), 'versions', `${version}.json`));
      if (raw === undefined) throw new VajraError('not_found', `Model ${name} has no version ${version}`);
      return modelVersionSchema.parse(raw);
    },
    async getAliases(name) {
      const raw = await readJson(join(modelDir(name), 'aliases.json'));
      return raw === undefined ? emptyAliasState() : aliasStateSchema.parse(raw);
    },
    setAlias(name, alias, version) {
      return serial(name, async () => {
        await registry.getVersion(name, version);
        const next = setAlias(await registry.getAliases(name), alias, version, clock.now());
        await writeFileAtomic(join(modelDir(name), 'aliases.json'), `${JSON.stringify(next, null, 2)}\n`);
        return next;
      });
    },
    rollbackAlias(name, alias) {
      return serial(name, async () => {
        const next = rollbackAlias(await registry.getAliases(name), alias, clock.now());
        await writeFileAtomic(join(modelDir(name), 'aliases.json'), `${JSON.stringify(next, null, 2)}\n`);
        return next;
      });
    },
    async resolveAlias(name, alias) {
      const version = aliasVersion(await registry.getAliases(name), alias);
      return version === undefined ? undefined : registry.getVersion(name, version);
    },
  };
  return registry;
}
