import { createStore } from 'zustand/vanilla';

/** A command of the palette and of the keyboard. `keys` is a chord like `Mod+Shift+P`. */
export interface CommandDef {
  id: string;
  title: string;
  category: string;
  keys?: string;
  run(): void | Promise<void>;
  /** When false the command is hidden from the palette and its keys do nothing. */
  isEnabled?(): boolean;
}

export interface CommandState {
  commands: CommandDef[];
  /** Adds commands (features call this when they mount); returns the remover. */
  register(commands: CommandDef[]): () => void;
}

/** Every command the workbench knows, contributed by the shell and by features. */
export function createCommandStore() {
  return createStore<CommandState>()((set, get) => ({
    commands: [],
    register(commands) {
      const ids = new Set(commands.map((c) => c.id));
      set({ commands: [...get().commands.filter((c) => !ids.has(c.id)), ...commands] });
      return () => set({ commands: get().commands.filter((c) => !commands.includes(c)) });
    },
  }));
}

export type CommandStore = ReturnType<typeof createCommandStore>;

/** Palette filtering: every typed word must appear in "category: title", case-insensitive. */
export function filterCommands(commands: CommandDef[], query: string): CommandDef[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return commands
    .filter((c) => c.isEnabled?.() ?? true)
    .filter((c) => {
      const text = `${c.category}: ${c.title}`.toLowerCase();
      return words.every((w) => text.includes(w));
    })
    .sort((a, b) => `${a.category}${a.title}`.localeCompare(`${b.category}${b.title}`));
}
