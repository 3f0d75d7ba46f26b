import { describe, expect, it } from 'vitest';
import { NODE_KINDS, nodeSpec } from '../../../app/pipeline/catalog';
import { validateGraph } from '../../../app/pipeline/validate';
import { defaultParams, fieldLabel, paramForm } from './param-fields';

describe('paramForm(kind, params)', () => {
  it('paramForm(histGradientBoosting) gives a target column picker, numbers with bounds and the boosting extras', () => {
    const form = paramForm('histGradientBoosting', {});
    const byKey = new Map(form.fields.map((f) => [f.key, f]));
    expect(byKey.get('target')).toMatchObject({ type: 'column', isOptional: false });
    expect(byKey.get('features')).toMatchObject({ type: 'columns', isOptional: true });
    expect(byKey.get('task')).toMatchObject({ type: 'enum', options: ['classification', 'regression'], defaultValue: 'classification' });
    expect(byKey.get('maxIter')).toMatchObject({ type: 'number', isInteger: true, min: 1, defaultValue: 100 });
    expect(byKey.get('learningRate')).toMatchObject({ type: 'number', isInteger: false, defaultValue: 0.1 });
    expect(byKey.get('maxDepth')).toMatchObject({ type: 'number', isOptional: true });
    expect(byKey.get('earlyStopping')).toMatchObject({ type: 'choice', options: [{ label: 'true', value: true }, { label: 'false', value: false }, { label: 'auto', value: 'auto' }] });
  });

  it('paramForm(source, {from: sql}) switches to the SQL variant with a multiline query field', () => {
    expect(paramForm('source', { from: 'dataset' })).toMatchObject({ variant: { key: 'from', options: ['dataset', 'sql'], value: 'dataset' }, fields: [{ key: 'dataset', type: 'dataset' }] });
    expect(paramForm('source', { from: 'sql' }).fields).toMatchObject([{ key: 'sql', type: 'text', isMultiline: true }]);
  });

  it('paramForm(impute | lag | textVectorizer | sweep) maps unions, number lists and records to scalar, list, choice and JSON fields', () => {
    expect(paramForm('impute', {}).fields.find((f) => f.key === 'fillValue')).toMatchObject({ type: 'scalar', isOptional: true });
    expect(paramForm('lag', {}).fields.find((f) => f.key === 'lags')).toMatchObject({ type: 'numberList', defaultValue: [1] });
    expect(paramForm('textVectorizer', {}).fields.find((f) => f.key === 'ngramMax')).toMatchObject({ type: 'choice', options: [{ value: 1 }, { value: 2 }] });
    expect(paramForm('sweep', {}).fields.find((f) => f.key === 'space')).toMatchObject({ type: 'json' });
    expect(paramForm('split', {}).fields.find((f) => f.key === 'testFraction')).toMatchObject({ type: 'number', min: 0, max: 1 });
  });
});

describe('paramForm(lag | rolling | textVectorizer hashing)', () => {
  it('paramForm(rolling) and paramForm(textVectorizer) give column pickers, the window bound and the hashing options', () => {
    const rolling = new Map(paramForm('rolling', {}).fields.map((f) => [f.key, f]));
    expect(rolling.get('orderBy')).toMatchObject({ type: 'column', isOptional: false });
    expect(rolling.get('partitionBy')).toMatchObject({ type: 'column', isOptional: true });
    expect(rolling.get('window')).toMatchObject({ type: 'number', isInteger: true, min: 2, defaultValue: 7 });
    const text = new Map(paramForm('textVectorizer', { mode: 'hashing' }).fields.map((f) => [f.key, f]));
    expect(text.get('mode')).toMatchObject({ type: 'enum', options: ['tfidf', 'count', 'hashing'] });
    expect(text.get('nFeatures')).toMatchObject({ label: 'Hash columns (hashing)', type: 'number', isInteger: true, min: 2, defaultValue: 1024 });
    expect(text.get('alternateSign')).toMatchObject({ type: 'boolean', defaultValue: true });
  });
});

describe('defaultParams(kind)', () => {
  it('defaultParams(kind) for every kind leaves only the fields a user must fill as issues', () => {
    for (const kind of NODE_KINDS) {
      const params = defaultParams(kind);
      const issues = validateGraph({ version: 1, id: 'p', name: 'p', nodes: [{ id: 'n', kind, params, position: { x: 0, y: 0 } }], edges: [] })
        .filter((i) => !i.message.includes('connected to'));
      const result = nodeSpec(kind).params.safeParse(params);
      // a kind with no required fields starts valid; one with required fields names exactly those
      const required = paramForm(kind, params).fields.filter((f) => !f.isOptional).map((f) => f.key).sort();
      if (required.length === 0) expect(result.success, kind).toBe(true);
      else expect(issues.length, kind).toBeGreaterThan(0);
    }
    expect(defaultParams('split')).toEqual({ method: 'random', testFraction: 0.2, column: '', seed: 0 });
    expect(defaultParams('source')).toEqual({ from: 'dataset', dataset: '' });
    expect(defaultParams('histGradientBoosting')).toEqual({ target: '', features: [], task: 'classification', maxIter: 100, learningRate: 0.1, maxLeafNodes: 31, seed: 0 });
  });

  it('paramForm(evaluate) offers a label set picker and a time column picker for NAB scoring', () => {
    const fields = paramForm('evaluate', {}).fields;
    expect(fields.find((f) => f.key === 'labelSet')).toMatchObject({ type: 'labelSet', isOptional: true, label: 'Label set (NAB scoring)' });
    expect(fields.find((f) => f.key === 'timeColumn')).toMatchObject({ type: 'column', isOptional: true });
  });

  it('fieldLabel(key) turns camelCase into words and keeps known names', () => {
    expect(fieldLabel('learningRate')).toBe('Learning rate');
    expect(fieldLabel('maxIter')).toBe('Iterations');
  });
});
