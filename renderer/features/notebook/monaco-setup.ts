import * as monaco from 'monaco-editor';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import TsWorker from 'monaco-editor/languages/features/typescript/ts.worker?worker';

/** Names the completion providers offer: tables with their columns, and cell names. */
export interface CompletionSource {
  tables: Array<{ name: string; detail: string; columns: Array<{ name: string; type: string }> }>;
  cells: Array<{ name: string; kind: string }>;
}

let source: CompletionSource = { tables: [], cells: [] };

/** The active notebook sets what Monaco completes (one notebook edits at a time). */
export function setCompletionSource(next: CompletionSource): void {
  source = next;
}

function sqlItems(range: monaco.IRange): monaco.languages.CompletionItem[] {
  const items: monaco.languages.CompletionItem[] = [];
  const seen = new Set<string>();
  for (const table of source.tables) {
    items.push({ label: table.name, kind: monaco.languages.CompletionItemKind.Struct, detail: table.detail, insertText: table.name, range, sortText: `0${table.name}` });
    for (const column of table.columns) {
      if (seen.has(column.name)) continue;
      seen.add(column.name);
      items.push({ label: column.name, kind: monaco.languages.CompletionItemKind.Field, detail: `${column.type} · ${table.name}`, insertText: /^[A-Za-z_][A-Za-z0-9_]*$/.test(column.name) ? column.name : `"${column.name.replaceAll('"', '""')}"`, range, sortText: `1${column.name}` });
    }
  }
  for (const cell of source.cells.filter((c) => c.kind === 'input' || c.kind === 'js')) {
    items.push({ label: `$${cell.name}`, kind: monaco.languages.CompletionItemKind.Variable, detail: `${cell.kind} cell (parameter)`, insertText: `$${cell.name}`, range, sortText: `2${cell.name}` });
  }
  return items;
}

function jsItems(range: monaco.IRange): monaco.languages.CompletionItem[] {
  const builtins = [{ name: 'Plot', kind: 'Observable Plot' }, { name: 'html', kind: 'DOM template' }, { name: 'width', kind: 'output width (px)' }];
  return [...source.cells.map((c) => ({ name: c.name, kind: `${c.kind} cell` })), ...builtins].map((c) => ({
    label: c.name, kind: monaco.languages.CompletionItemKind.Variable, detail: c.kind, insertText: c.name, range, sortText: `0${c.name}`,
  }));
}

let isSetUp = false;

/** Workers, JS diagnostics off (our own parser reports errors on run), completion providers. Idempotent. */
export function setUpMonaco(): typeof monaco {
  if (isSetUp) return monaco;
  isSetUp = true;
  self.MonacoEnvironment = {
    getWorker: (_id: string, label: string) => (label === 'typescript' || label === 'javascript' ? new TsWorker() : new EditorWorker()),
  };
  monaco.typescript.javascriptDefaults.setDiagnosticsOptions({ noSemanticValidation: true, noSyntaxValidation: true, noSuggestionDiagnostics: true });
  monaco.typescript.javascriptDefaults.setCompilerOptions({ target: monaco.typescript.ScriptTarget.ESNext, allowNonTsExtensions: true, lib: ['esnext', 'dom'] });
  const provider = (items: (range: monaco.IRange) => monaco.languages.CompletionItem[]): monaco.languages.CompletionItemProvider => ({
    triggerCharacters: ['$', '.'],
    provideCompletionItems(model, position) {
      const word = model.getWordUntilPosition(position);
      const range = { startLineNumber: position.lineNumber, endLineNumber: position.lineNumber, startColumn: word.startColumn, endColumn: word.endColumn };
      return { suggestions: items(range) };
    },
  });
  monaco.languages.registerCompletionItemProvider('sql', provider(sqlItems));
  monaco.languages.registerCompletionItemProvider('javascript', provider(jsItems));
  monaco.editor.defineTheme('vajra-light', { base: 'vs', inherit: true, rules: [], colors: { 'editor.background': '#f6f7f9', 'editor.lineHighlightBackground': '#eef1f6' } });
  monaco.editor.defineTheme('vajra-dark', { base: 'vs-dark', inherit: true, rules: [], colors: { 'editor.background': '#22262d', 'editor.lineHighlightBackground': '#2a2f37' } });
  return monaco;
}

export type Monaco = typeof monaco;
