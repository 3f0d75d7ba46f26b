import type { Backend } from '../../bridge/connection';
import type { WorkbenchStore } from '../../stores/workbench-store';

/** A label set name from a data file path: its stem with unsafe characters replaced. */
export function labelSetNameFor(path: string, taken: ReadonlySet<string>): string {
  const stem = (path.split('/').at(-1) ?? 'series').replace(/\.[^.]+$/, '');
  const base = stem.replace(/[^A-Za-z0-9 _.-]/g, '_').replace(/^[^A-Za-z0-9]+/, '').slice(0, 90) || 'series';
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}-${i}`;
  return name;
}

/** Opens the label set of a data file in the annotator, creating it (columns detected) the first time. */
export async function openSeries(backend: Backend, workbench: WorkbenchStore, file: string): Promise<void> {
  const { items } = await backend.call('labels.list', {});
  const existing = items.find((i) => i.series === file);
  const name = existing?.name ?? (await backend.call('labels.create', { name: labelSetNameFor(file, new Set(items.map((i) => i.name))), file })).meta.name;
  await workbench.getState().refreshFiles();
  workbench.getState().openFile(`labels/${name}`);
}
