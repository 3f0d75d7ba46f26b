import { useEffect } from 'react';
import type { CommandStore } from '../stores/commands';
import { matchesChord } from '../stores/keys';

/**
 * Routes global key chords to commands. Two-step chords (`Mod+K T`) wait up to 1.5 s for their
 * second key, as in VS Code.
 */
export function useKeybindings(commands: CommandStore): void {
  useEffect(() => {
    let pendingFirst: string | null = null;
    let pendingTimer: ReturnType<typeof setTimeout> | undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      const all = commands.getState().commands.filter((c) => c.keys && (c.isEnabled?.() ?? true));
      for (const command of all) {
        const [first, second] = command.keys!.split(' ');
        const matched = second ? pendingFirst === first && matchesChord(event, second) : pendingFirst === null && matchesChord(event, first!);
        if (matched) {
          event.preventDefault();
          pendingFirst = null;
          void command.run();
          return;
        }
      }
      const starter = all.find((c) => c.keys!.includes(' ') && matchesChord(event, c.keys!.split(' ')[0]!));
      if (starter) {
        event.preventDefault();
        pendingFirst = starter.keys!.split(' ')[0]!;
        clearTimeout(pendingTimer);
        pendingTimer = setTimeout(() => (pendingFirst = null), 1500);
      } else if (!['Shift', 'Control', 'Alt', 'Meta'].includes(event.key)) {
        pendingFirst = null;
      }
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [commands]);
}
