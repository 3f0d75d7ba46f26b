import { useEffect, useRef, useState } from 'react';
import type { Monaco } from './monaco-setup';

type Editor = ReturnType<Monaco['editor']['create']>;

let loading: Promise<Monaco> | undefined;

/** Monaco, loaded on first use (it is large; the shell never waits for it). */
function loadMonaco(): Promise<Monaco> {
  loading ??= import('./monaco-setup').then((m) => m.setUpMonaco());
  return loading;
}

function themeName(): string {
  return document.documentElement.dataset.theme === 'dark' ? 'vajra-dark' : 'vajra-light';
}

export interface CodeEditorProps {
  value: string;
  language: 'sql' | 'javascript' | 'markdown' | 'yaml';
  /** Replace [from, to) of the value with `insert` (UTF-16 offsets), one call per Monaco change. */
  onEdit: (from: number, to: number, insert: string) => void;
  onFocus?: () => void;
  /** Escape (when no widget is open): leave the editor for command mode. */
  onEscape?: () => void;
  autoFocus?: boolean;
  readOnly?: boolean;
  label: string;
}

/** A Monaco editor that grows with its content; edits leave as offset ranges, outside changes come in as values. */
export function CodeEditor({ value, language, onEdit, onFocus, onEscape, autoFocus, readOnly, label }: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const applyingOutside = useRef(false);
  const handlers = useRef({ onEdit, onFocus, onEscape });
  handlers.current = { onEdit, onFocus, onEscape };
  const [isReady, setReady] = useState(false);

  useEffect(() => {
    let live = true;
    let created: Editor | null = null;
    void loadMonaco().then((monaco) => {
      if (!live || !host.current) return;
      created = monaco.editor.create(host.current, {
        value, language, theme: themeName(), editContext: false, automaticLayout: true, minimap: { enabled: false },
        scrollBeyondLastLine: false, lineNumbers: 'off', glyphMargin: false, folding: false, lineDecorationsWidth: 8,
        renderLineHighlight: 'none', overviewRulerLanes: 0, hideCursorInOverviewRuler: true, fontSize: 13, tabSize: 2,
        scrollbar: { vertical: 'hidden', alwaysConsumeMouseWheel: false }, wordWrap: 'on', fixedOverflowWidgets: true,
        readOnly: readOnly ?? false, ariaLabel: label, padding: { top: 6, bottom: 6 },
      });
      const resize = () => {
        if (host.current) host.current.style.height = `${Math.max(28, created!.getContentHeight())}px`;
      };
      created.onDidContentSizeChange(resize);
      resize();
      created.onDidChangeModelContent((event) => {
        if (applyingOutside.current) return;
        // Monaco reports a batch against the old text: apply from the end so offsets stay valid.
        for (const change of [...event.changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
          handlers.current.onEdit(change.rangeOffset, change.rangeOffset + change.rangeLength, change.text);
        }
      });
      created.onDidFocusEditorText(() => handlers.current.onFocus?.());
      created.addCommand(monaco.KeyCode.Escape, () => handlers.current.onEscape?.(), '!suggestWidgetVisible && !findWidgetVisible');
      editor.current = created;
      if (autoFocus) created.focus();
      setReady(true);
    });
    const observer = new MutationObserver(() => void loadMonaco().then((m) => m.editor.setTheme(themeName())));
    observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => {
      live = false;
      observer.disconnect();
      created?.dispose();
      editor.current = null;
    };
    // The editor is created once per language; later value changes are synced below.
  }, [language]);

  useEffect(() => {
    const current = editor.current;
    if (!current || current.getValue() === value) return;
    applyingOutside.current = true;
    current.getModel()?.setValue(value);
    applyingOutside.current = false;
  }, [value, isReady]);

  useEffect(() => {
    if (autoFocus && isReady) editor.current?.focus();
  }, [autoFocus, isReady]);

  return (
    <div className="nb-editor" data-language={language}>
      <div ref={host} className="nb-monaco" style={{ height: `${Math.max(28, value.split('\n').length * 19 + 12)}px` }} />
      {!isReady && <pre className="nb-editor-fallback">{value}</pre>}
    </div>
  );
}
