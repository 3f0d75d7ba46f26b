import { useState } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

/** Asks for the model name and an optional alias for registering a run's model. */
export function RegisterDialog({ runName, models, onRegister, onCancel }: { runName: string; models: string[]; onRegister(name: string, alias: string): void; onCancel(): void }) {
  const [name, setName] = useState(models[0] ?? 'model');
  const [alias, setAlias] = useState('champion');
  return (
    <ConfirmDialog title="Register model" confirm="Register" onConfirm={() => onRegister(name.trim(), alias.trim())} onCancel={onCancel}>
      <p>Register the model of <b>{runName}</b> as a new version.</p>
      <label className="field">Model name
        <input aria-label="Model name" list="runs-model-names" value={name} onChange={(e) => setName(e.target.value)} />
        <datalist id="runs-model-names">{models.map((m) => <option key={m} value={m} />)}</datalist>
      </label>
      <label className="field">Alias
        <select aria-label="Alias" value={alias} onChange={(e) => setAlias(e.target.value)}>
          <option value="champion">champion</option>
          <option value="challenger">challenger</option>
          <option value="">(none)</option>
        </select>
      </label>
    </ConfirmDialog>
  );
}
