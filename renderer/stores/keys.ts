/** Whether the platform uses ⌘ for the primary modifier (macOS). */
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * A key chord written like VS Code's: `Ctrl+Shift+P`, `Alt+W`, `F1`. `Mod` means ⌘ on macOS and
 * Ctrl elsewhere. Returns true when the keyboard event matches it exactly.
 */
export function matchesChord(event: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>, chord: string): boolean {
  const parts = chord.split('+');
  const key = parts.pop()?.toLowerCase();
  const wants = new Set(parts.map((p) => p.toLowerCase()));
  const mod = wants.has('mod');
  const ctrl = wants.has('ctrl') || (mod && !isMac);
  const meta = wants.has('meta') || wants.has('cmd') || (mod && isMac);
  return (
    event.key.toLowerCase() === key &&
    event.ctrlKey === ctrl &&
    event.metaKey === meta &&
    event.shiftKey === wants.has('shift') &&
    event.altKey === wants.has('alt')
  );
}

/** How a chord is shown to people on this platform (`⌘⇧P` on macOS, `Ctrl+Shift+P` elsewhere). */
export function showChord(chord: string): string {
  if (!isMac) return chord.replace('Mod', 'Ctrl');
  const symbols: Record<string, string> = { mod: '⌘', cmd: '⌘', meta: '⌘', ctrl: '⌃', shift: '⇧', alt: '⌥' };
  return chord.split('+').map((p) => symbols[p.toLowerCase()] ?? p).join('');
}
