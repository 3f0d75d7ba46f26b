import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConll, sentenceToText } from './conll';
import { formatNabTimestamp, labelsFromJsonl, labelsToJsonl, nabWindowsToRanges, rangesFromCsv, rangesToCsv, rangesToNabWindows } from './formats';
import { fromLabelStudio, toLabelStudio, vajraDocKey, type LsTask } from './label-studio';
import type { Label, RangeLabel, SpanLabel } from './model';

const shared = join(process.cwd(), '..', 'shared', 'data');

const ranges: RangeLabel[] = [
  { kind: 'range', id: 'r1', series: 'cpu', start: 1404172800000, end: 1404176400000, label: 'anomaly', note: 'deploy, "v2"\nrolled back' },
  { kind: 'range', id: 'r2', series: 'mem', start: 10.5, end: 20, label: 'maintenance' },
];

describe('label codecs', () => {
  it('rangesFromCsv(rangesToCsv(r)) round-trips, quoting notes with commas, quotes and newlines', () => {
    const csv = rangesToCsv(ranges);
    expect(csv.split('\n')[0]).toBe('id,series,start,end,label,note');
    expect(rangesFromCsv(csv)).toEqual(ranges);
  });

  it('labelsFromJsonl(labelsToJsonl(l)) round-trips every label kind', () => {
    const labels: Label[] = [
      ...ranges,
      { kind: 'point', id: 'p', series: 'cpu', at: 5, label: 'spike' },
      { kind: 'doc', id: 'd', doc: 'doc1', labels: ['spam'] },
      { kind: 'span', id: 's', doc: 'doc1', start: 0, end: 4, label: 'PER' },
    ];
    const text = labelsToJsonl(labels);
    expect(text.split('\n').length).toBe(labels.length + 1);
    expect(labelsFromJsonl(text)).toEqual(labels);
    expect(() => labelsFromJsonl('{"foo":1}\n')).toThrow(/line 1/);
  });

  it('rangesToNabWindows(nabWindowsToRanges(json)) reproduces combined_windows.json exactly', () => {
    const json = JSON.parse(readFileSync(join(shared, 'nab', 'labels', 'combined_windows.json'), 'utf8')) as Record<string, string[][]>;
    const labels = nabWindowsToRanges(json);
    expect(labels.length).toBe(116);
    expect(rangesToNabWindows(labels, Object.keys(json))).toEqual(json);
    expect(formatNabTimestamp(951825601500)).toBe('2000-02-29 12:00:01.500000');
  });

  it('fromLabelStudio(toLabelStudio(spans)) round-trips WNUT-17 dev entities as NER tasks', () => {
    const doc = parseConll(readFileSync(join(shared, 'ner', 'wnut17', 'emerging.dev.conll'), 'utf8'));
    const texts: Record<string, string> = {};
    const spans: SpanLabel[] = [];
    doc.sentences.forEach((s, i) => {
      const key = `dev-${String(i).padStart(4, '0')}`;
      const t = sentenceToText(s);
      texts[key] = t.text;
      t.spans.forEach((sp, j) => spans.push({ kind: 'span', id: `${key}/${j}`, doc: key, start: sp.start, end: sp.end, label: sp.label }));
    });
    const labels: Label[] = [...spans, { kind: 'doc', id: 'dev-0000/c', doc: 'dev-0000', labels: ['twitter'] }];
    const tasks = JSON.parse(JSON.stringify(toLabelStudio(labels, texts))) as LsTask[];
    const spanTask = tasks.find((t) => t.annotations![0]!.result.some((r) => r.type === 'labels'))!;
    const first = spanTask.annotations![0]!.result.find((r) => r.type === 'labels')!;
    expect(first.value.text).toBe(texts[String(spanTask.data.doc)]!.slice(Number(first.value.start), Number(first.value.end)));
    const back = fromLabelStudio(tasks, vajraDocKey);
    expect(back.skipped).toBe(0);
    const byId = (a: Label, b: Label) => (a.id < b.id ? -1 : 1);
    expect(back.labels.sort(byId)).toEqual([...labels].sort(byId));
  });

  it('fromLabelStudio reads time-series ranges, skips cancelled annotations, and turns predictions into suggestions', () => {
    const tasks: LsTask[] = [
      {
        id: 7,
        data: { csv: 'cpu.csv' },
        annotations: [
          { result: [{ id: 'a', from_name: 'label', to_name: 'ts', type: 'timeserieslabels', value: { start: 3, end: 9, instant: false, timeserieslabels: ['anomaly'] } }] },
          { was_cancelled: true, result: [{ id: 'b', from_name: 'label', to_name: 'ts', type: 'timeserieslabels', value: { start: 1, end: 2, timeserieslabels: ['x'] } }] },
        ],
        predictions: [{ model_version: 'zscore-1', score: 0.4, result: [{ id: 'p', from_name: 'label', to_name: 'ts', type: 'timeserieslabels', score: 0.9, value: { start: '20', end: '25', timeserieslabels: ['anomaly'] } }] }],
      },
    ];
    const { labels, suggestions } = fromLabelStudio(tasks);
    expect(labels).toEqual([{ kind: 'range', id: '7/a', series: '7', start: 3, end: 9, label: 'anomaly' }]);
    expect(suggestions).toEqual([
      { id: '7/p0/p', proposal: { kind: 'range', id: '7/p0/p', series: '7', start: 20, end: 25, label: 'anomaly' }, source: { type: 'model', name: 'zscore-1' }, score: 0.9 },
    ]);
  });
});
