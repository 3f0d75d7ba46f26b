import { describe, expect, it } from 'vitest';
import { fileKind, isOpaqueFolder } from './file-kind';

describe('fileKind(path, isFolder)', () => {
  it('recognises every kind the sidebar groups', () => {
    expect(fileKind('eda.notebook.md', false)).toBe('notebook');
    expect(fileKind('models/churn.pipeline.json', false)).toBe('pipeline');
    expect(fileKind('data/adult.csv', false)).toBe('dataset');
    expect(fileKind('data/x.PARQUET', false)).toBe('dataset');
    expect(fileKind('suite.expectations.json', false)).toBe('expectations');
    expect(fileKind('README.md', false)).toBe('text');
    expect(fileKind('vajra.json', false)).toBe('text');
    expect(fileKind('runs/index.ndjson', false)).toBe('other');
    expect(fileKind('image.png', false)).toBe('other');
    expect(fileKind('runs/01abc', true)).toBe('run');
    expect(fileKind('labels/anomalies', true)).toBe('labelset');
    expect(fileKind('exports/churn-v1', true)).toBe('export');
    expect(fileKind('data', true)).toBe('folder');
    expect(fileKind('runs/01abc/artifacts', true)).toBe('folder');
  });
  it('isOpaqueFolder(path) hides the insides of runs, label sets and exports', () => {
    expect(isOpaqueFolder('runs/01abc')).toBe(true);
    expect(isOpaqueFolder('runs')).toBe(false);
    expect(isOpaqueFolder('data/runs')).toBe(false);
  });
});
