import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MetricsOutput } from './MetricsOutput';

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

describe('MetricsOutput', () => {
  it('an anomaly evaluation scored with NAB shows the NAB score, counts and delay first, and the label set and profile', () => {
    const metrics = { mean_score: -0.46, nab_score: 1.28, nab_score_normalized: 75.2, nab_tp: 171, nab_fp: 28, nab_fn: 864, nab_tn: 8459, nab_windows: 5, nab_detected_windows: 5, nab_delay_mean: 180_360_000 };
    const nab = { labelSet: 'taxi', labelVersion: 'sha256:x', labelClass: '', profile: 'reward_low_FN_rate', thresholdMode: 'best', threshold: 0.587, windows: 5, detectedWindows: 5, perWindow: [] };
    act(() => root.render(<MetricsOutput output={{ kind: 'metrics', port: 'metrics', evaluation: { task: 'anomaly', rows: 10272, metrics, nab } }} />));
    const rows = [...container.querySelectorAll('tr[data-metric]')].map((r) => r.getAttribute('data-metric'));
    expect(rows.slice(0, 3)).toEqual(['nab_score', 'nab_score_normalized', 'nab_tp']);
    expect(rows).not.toContain('mean_score');
    expect(container.querySelector('tr[data-metric="nab_tp"] td')!.textContent).toBe('171');
    expect(container.querySelector('[data-testid="nab-caption"]')!.textContent).toBe('NAB vs label set "taxi" · reward_low_FN_rate · best threshold · delays in time-column units (ms for timestamps)');
  });
});
