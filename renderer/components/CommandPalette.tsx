import { useEffect, useMemo, useRef, useState } from 'react';
import { filterCommands, type CommandDef } from '../stores/commands';
import { showChord } from '../stores/keys';

export interface CommandPaletteProps {
  commands: CommandDef[];
  onClose(): void;
}

/** The command palette (Ctrl/Cmd+Shift+P): type to filter, arrows to move, Enter to run. */
export function CommandPalette({ commands, onClose }: CommandPaletteProps) {
  const [query, setQuery] = useState('');
  const [index, setIndex] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const shown = useMemo(() => filterCommands(commands, query), [commands, query]);
  useEffect(() => input.current?.focus(), []);
  useEffect(() => setIndex(0), [query]);

  const run = (command: CommandDef | undefined) => {
    if (!command) return;
    onClose();
    void command.run();
  };

  return (
    <div className="palette-backdrop" onMouseDown={onClose}>
      <div className="palette" role="dialog" aria-label="Command palette" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="palette-input"
          placeholder="Type a command…"
          aria-label="Command"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') onClose();
            else if (e.key === 'Enter') run(shown[index]);
            else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
              e.preventDefault();
              setIndex(e.key === 'ArrowDown' ? Math.min(index + 1, shown.length - 1) : Math.max(index - 1, 0));
            }
          }}
        />
        <ul className="palette-list" role="listbox">
          {shown.map((command, i) => (
            <li
              key={command.id}
              role="option"
              aria-selected={i === index}
              className={i === index ? 'selected' : ''}
              onMouseEnter={() => setIndex(i)}
              onClick={() => run(command)}
            >
              <span>
                <span className="muted">{command.category}: </span>
                {command.title}
              </span>
              {command.keys && <kbd>{showChord(command.keys)}</kbd>}
            </li>
          ))}
          {shown.length === 0 && <li className="muted">No matching command</li>}
        </ul>
      </div>
    </div>
  );
}
