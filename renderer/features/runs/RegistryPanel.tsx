import type { RegisteredModel } from '../../../app/protocol/methods/runs';

/** Registered models: versions (with their runs), aliases, set alias and roll back. */
export function RegistryPanel({ models, onSetAlias, onRollback, onOpenRun }: { models: RegisteredModel[]; onSetAlias(name: string, alias: string, version: number): void; onRollback(name: string, alias: string): void; onOpenRun(runId: string): void }) {
  if (models.length === 0) return <p className="muted pad">No registered models yet. Select a run with a model artifact and press “Register model”.</p>;
  return (
    <div className="registry" aria-label="Model registry">
      {models.map((model) => (
        <section key={model.name} className="registry-model" aria-label={`Model ${model.name}`}>
          <h3>{model.name}</h3>
          <div className="aliases">
            {model.aliases.map((a) => (
              <span key={a.alias} className="alias" data-alias={a.alias}>
                <b>@{a.alias}</b> → v{a.version}
                <span className="muted small"> ({a.history.length} move{a.history.length === 1 ? '' : 's'})</span>
                <button type="button" className="small-button" disabled={a.history.at(-1)!.previous < 0} onClick={() => onRollback(model.name, a.alias)}>Roll back</button>
              </span>
            ))}
          </div>
          <table className="grid">
            <thead><tr><th>version</th><th>run</th><th>artifact</th><th>registered</th><th>aliases</th><th /></tr></thead>
            <tbody>
              {[...model.versions].reverse().map((v) => (
                <tr key={v.version}>
                  <td>v{v.version}</td>
                  <td><button type="button" className="link mono" onClick={() => onOpenRun(v.runId)}>{v.runId}</button></td>
                  <td className="mono">{v.artifactPath}</td>
                  <td>{new Date(v.createdAt).toLocaleString()}</td>
                  <td>{model.aliases.filter((a) => a.version === v.version).map((a) => `@${a.alias}`).join(' ')}</td>
                  <td>
                    <button type="button" className="small-button" onClick={() => onSetAlias(model.name, 'champion', v.version)}>Make champion</button>{' '}
                    <button type="button" className="small-button" onClick={() => onSetAlias(model.name, 'challenger', v.version)}>Make challenger</button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
