import { describe, expect, it } from 'vitest';
import { aliasStateSchema, aliasVersion, emptyAliasState, modelNameSchema, nextVersion, rollbackAlias, setAlias } from './model-registry';

describe('model registry aliases', () => {
  it('setAlias/rollbackAlias keep an append-only history and walk back along the chain', () => {
    let s = emptyAliasState();
    s = setAlias(s, 'champion', 1, 10);
    s = setAlias(s, 'champion', 2, 20);
    s = setAlias(s, 'champion', 3, 30);
    s = setAlias(s, 'challenger', 4, 35);
    expect(aliasVersion(s, 'champion')).toBe(3);
    s = rollbackAlias(s, 'champion', 40);
    expect(aliasVersion(s, 'champion')).toBe(2);
    s = rollbackAlias(s, 'champion', 50);
    expect(aliasVersion(s, 'champion')).toBe(1);
    expect(() => rollbackAlias(s, 'champion', 60)).toThrow(/no earlier version/);
    s = setAlias(s, 'champion', 5, 70);
    s = rollbackAlias(s, 'champion', 80);
    expect(aliasVersion(s, 'champion')).toBe(1);
    expect(s.aliases.champion!.map((e) => [e.version, e.action])).toEqual([[1, 'set'], [2, 'set'], [3, 'set'], [2, 'rollback'], [1, 'rollback'], [5, 'set'], [1, 'rollback']]);
    expect(aliasVersion(s, 'challenger')).toBe(4);
    expect(aliasStateSchema.parse(s)).toEqual(s);
  });
  it('nextVersion and name rules', () => {
    expect(nextVersion([])).toBe(1);
    expect(nextVersion([3, 1, 2])).toBe(4);
    expect(() => modelNameSchema.parse('../x')).toThrow();
    expect(() => setAlias(emptyAliasState(), '1bad', 1, 0)).toThrow();
  });
});
