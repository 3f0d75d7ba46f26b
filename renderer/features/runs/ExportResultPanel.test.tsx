import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ExportRunResult } from '../../../app/protocol/methods/export';
import { ExportResultPanel } from './ExportResultPanel';

const result: ExportRunResult = {
  runId: 'r1', dir: 'exports/adult', absoluteDir: '/ws/exports/adult', files: ['manifest.json', 'model.onnx'], bytes: 4096, modelName: 'vajra-r1',
  curl: [
    { title: 'MLflow, dataframe_split', command: 'curl -s http://127.0.0.1:8080/invocations -d split' },
    { title: 'KServe v2', command: 'curl -s http://127.0.0.1:8080/v2/models/vajra-r1/infer -d v2' },
  ],
};

let container: HTMLDivElement;
let root: Root;
beforeAll(() => void ((globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true));
beforeEach(() => {
  container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
});
afterEach(() => {
  act(() => root.unmount());
  container.remove();
});

function setClipboard(writeText: ((text: string) => Promise<void>) | undefined): void {
  Object.defineProperty(navigator, 'clipboard', { configurable: true, value: writeText ? { writeText } : undefined });
}

const button = (name: string) => [...container.querySelectorAll('button')].find((b) => b.textContent === name)!;

describe('ExportResultPanel', () => {
  it('shows the bundle folder; "Copy curl command" copies the chosen request shape', async () => {
    const copied: string[] = [];
    setClipboard(async (text) => void copied.push(text));
    act(() => root.render(<ExportResultPanel result={result} onClose={() => undefined} />));
    expect(container.querySelector('[data-testid="export-dir"]')!.textContent).toBe('exports/adult');
    const select = container.querySelector('select')!;
    act(() => {
      select.value = '1';
      select.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await act(async () => button('Copy curl command').click());
    expect(copied).toEqual([result.curl[1]!.command]);
    expect(container.textContent).toContain('Copied.');
    expect(container.querySelector('textarea')).toBeNull();
  });

  it('falls back to a selectable text box when the clipboard is not available', async () => {
    setClipboard(async () => { throw new Error('denied'); });
    act(() => root.render(<ExportResultPanel result={result} onClose={() => undefined} />));
    await act(async () => button('Copy curl command').click());
    expect(container.querySelector('textarea')!.value).toBe(result.curl[0]!.command);
    setClipboard(undefined);
  });
});
