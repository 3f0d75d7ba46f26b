import { useEffect, useMemo, useState } from 'react';
import { useStore } from 'zustand';
import type { RegisteredModel } from '../../../app/protocol/methods/runs';
import { useServices } from '../../stores/context';
import { ColumnChooser } from './ColumnChooser';
import { ConfirmDialog } from './ConfirmDialog';
import { ExportRunBar } from './ExportRunBar';
import { RegisterDialog } from './RegisterDialog';
import { RegistryPanel } from './RegistryPanel';
import { RunCompare } from './RunCompare';
import { openRun } from './runs-commands';
import { createRunsTableStore } from './runs-table-store';
import { RunsGrid } from './RunsGrid';
import { TrashPanel } from './TrashPanel';

type Mode = { kind: 'table' } | { kind: 'compare'; ids: string[] } | { kind: 'registry' } | { kind: 'trash' };
type Dialog = null | 'trash' | 'purge' | 'register';

/** The Runs document: the table with its toolbar, and the compare, registry and trash views. */
export function RunsDocument() {
  const { backend, workbench } = useServices();
  const store = useMemo(() => createRunsTableStore(backend), [backend]);
  const s = useStore(store);
  const [mode, setMode] = useState<Mode>({ kind: 'table' });
  const [dialog, setDialog] = useState<Dialog>(null);
  const [chooser, setChooser] = useState(false);
  const [models, setModels] = useState<RegisteredModel[]>([]);
  const notify = (kind: 'info' | 'error' | 'success', text: string) => workbench.getState().notify(kind, text);
  const refreshRegistry = () => backend.call('runs.registry', {}).then(({ models: m }) => setModels(m), () => undefined);

  useEffect(() => {
    void store.getState().loadKeys().catch((e: Error) => store.setState({ error: e.message }));
    void refreshRegistry();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const off = backend.on('runs.changed', () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void store.getState().load();
        void store.getState().loadKeys();
        void refreshRegistry();
      }, 150);
    });
    return () => (clearTimeout(timer), off());
  }, [backend, store]);

  const selectedRows = s.rows.filter((r) => s.selected.includes(r.id));
  const act = async (work: () => Promise<string>) => {
    setDialog(null);
    try {
      notify('success', await work());
    } catch (error) {
      notify('error', (error as Error).message);
    }
  };

  if (mode.kind === 'compare') return <RunCompare ids={mode.ids} onBack={() => setMode({ kind: 'table' })} />;
  return (
    <div className="runs-doc">
      <div className="runs-toolbar" role="toolbar" aria-label="Runs">
        <div className="segmented" role="tablist" aria-label="Runs views">
          {(['table', 'registry', 'trash'] as const).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={mode.kind === k} onClick={() => setMode({ kind: k })}>{k === 'table' ? `Runs (${s.total})` : k === 'registry' ? 'Model registry' : 'Trash'}</button>
          ))}
        </div>
        {mode.kind === 'table' && <>
          <input className="search" type="search" aria-label="Search runs" placeholder="Search runs (name, param=value, tag…)" defaultValue={s.search} onKeyDown={(e) => e.key === 'Enter' && s.setSearch(e.currentTarget.value)} onChange={(e) => e.currentTarget.value === '' && s.setSearch('')} />
          <label className="inline">Group by
            <select aria-label="Group by" value={s.groupBy?.key ?? ''} onChange={(e) => s.setGroupBy(e.target.value ? { kind: 'param', key: e.target.value } : null)}>
              <option value="">(none)</option>
              {s.keys.params.map((k) => <option key={k} value={k}>{k}</option>)}
            </select>
          </label>
          <button type="button" onClick={() => setChooser(!chooser)}>Columns…</button>
          <span className="spacer" />
          <span className="muted small">{s.selected.length} selected</span>
          <button type="button" disabled={s.selected.length < 2 || s.selected.length > 20} title="Select 2–20 runs" onClick={() => setMode({ kind: 'compare', ids: s.selected })}>Compare</button>
          <button type="button" disabled={s.selected.length !== 1} onClick={() => setDialog('register')}>Register model</button>
          <ExportRunBar runId={s.selected.length === 1 ? s.selected[0]! : null} />
          <button type="button" disabled={s.selected.length === 0} onClick={() => setDialog('trash')}>Delete</button>
          <button type="button" className="danger" disabled={s.selected.length === 0} onClick={() => setDialog('purge')}>Delete permanently</button>
        </>}
      </div>
      {chooser && mode.kind === 'table' && (
        <ColumnChooser keys={s.keys} columns={s.columns} layouts={s.layouts} onChange={s.setColumns} onClose={() => setChooser(false)}
          onSaveLayout={(name) => void s.saveLayout(name).then(() => notify('success', `Saved layout “${name}”.`), (e: Error) => notify('error', e.message))}
          onApplyLayout={s.applyLayout} onDeleteLayout={(name) => void s.deleteLayout(name)} />
      )}
      {s.error && <div className="error-box" role="alert">{s.error}</div>}
      {mode.kind === 'table' && (
        <div className="runs-table-wrap">
          {s.total === 0 && !s.loading ? <p className="muted pad">No runs yet. Runs appear here when a pipeline runs, or when a script logs to this workspace through the MLflow API of <code>vajra serve</code>.</p> : (
            <RunsGrid {...s} onOpen={(row) => openRun(workbench, row.id, row.name)} />
          )}
          {s.rows.length < s.total && <button type="button" className="more" onClick={s.showMore}>Show more ({s.total - s.rows.length} more)</button>}
        </div>
      )}
      {mode.kind === 'registry' && (
        <RegistryPanel models={models} onOpenRun={(id) => openRun(workbench, id, id)}
          onSetAlias={(name, alias, version) => void act(async () => (await backend.call('runs.setAlias', { name, alias, version }), await refreshRegistry(), `${name}@${alias} → v${version}`))}
          onRollback={(name, alias) => void act(async () => {
            const model = await backend.call('runs.rollbackAlias', { name, alias });
            await refreshRegistry();
            return `${name}@${alias} rolled back to v${model.aliases.find((a) => a.alias === alias)?.version ?? '?'}`;
          })} />
      )}
      {mode.kind === 'trash' && <TrashPanel onChanged={() => void s.load()} />}
      {dialog === 'trash' && (
        <ConfirmDialog title="Move to trash" confirm={`Move ${s.selected.length} to trash`} onCancel={() => setDialog(null)}
          onConfirm={() => void act(async () => (await backend.call('runs.delete', { ids: s.selected }), s.setSelected([]), `Moved ${selectedRows.length} run(s) to the trash.`))}>
          <p>{s.selected.length} run(s) go to <code>runs/.trash</code>; you can restore them from the Trash.</p>
        </ConfirmDialog>
      )}
      {dialog === 'purge' && (
        <ConfirmDialog title="Delete permanently" danger confirm={`Delete ${s.selected.length} forever`} onCancel={() => setDialog(null)}
          onConfirm={() => void act(async () => (await backend.call('runs.purge', { ids: s.selected }), s.setSelected([]), `Deleted ${selectedRows.length} run(s) for good.`))}>
          <p>This removes {s.selected.length} run folder(s) with their metrics and artifacts from disk. It cannot be undone.</p>
        </ConfirmDialog>
      )}
      {dialog === 'register' && selectedRows[0] && (
        <RegisterDialog runName={selectedRows[0].name} models={models.map((m) => m.name)} onCancel={() => setDialog(null)}
          onRegister={(name, alias) => void act(async () => {
            const { version } = await backend.call('runs.registerModel', { runId: selectedRows[0]!.id, name, ...(alias ? { alias } : {}) });
            await refreshRegistry();
            return `Registered ${name} v${version.version}${alias ? ` as @${alias}` : ''}.`;
          })} />
      )}
    </div>
  );
}
