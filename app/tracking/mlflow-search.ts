import { UserInputError } from '../base/errors';
import { fromMlflowStatus } from './mlflow-entities';
import type { FilterClause, FilterOp, RunAttribute, RunField, SortKey } from './run-query';

/**
 * The subset of MLflow's run search syntax Vajra understands:
 *   filter:   clause [AND clause]*, clause = <entity>.<key> <op> <value>
 *             entity metrics | params | tags | attributes (also singular; none = attribute),
 *             keys plain, `back-quoted` or "double-quoted"; ops = != > >= < <= LIKE ILIKE IN NOT IN;
 *             values 'string', "string", numbers, ('a', 'b') lists.
 *   order_by: "<entity>.<key> [ASC|DESC]".
 * Anything else (OR, parentheses) is a `UserInputError`, which the REST layer reports as
 * INVALID_PARAMETER_VALUE — the same as MLflow for syntax it does not accept.
 */

const attributeNames: Record<string, RunAttribute> = {
  run_id: 'id', run_uuid: 'id', run_name: 'name', status: 'status', start_time: 'startTime', end_time: 'endTime',
};

type Token = { kind: 'ident' | 'string' | 'number' | 'op' | 'punct'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:(`[^`]*`)|('(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d*)?(?:[eE][+-]?\d+)?(?![\w.]))|(!=|<>|>=|<=|=|>|<)|([(),])|([A-Za-z_]\w*(?:\.(?:\w+|`[^`]*`|"[^"]*"))*))/y;
  let at = 0;
  while (at < input.length) {
    if (/^\s*$/.test(input.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(input);
    if (!m) throw new UserInputError(`Invalid search syntax near "${input.slice(at, at + 20)}"`);
    at = re.lastIndex;
    if (m[1]) tokens.push({ kind: 'ident', text: m[1] });
    else if (m[2]) tokens.push({ kind: 'string', text: m[2].slice(1, -1).replaceAll("''", "'").replace(/\\(.)/g, '$1') });
    else if (m[3]) tokens.push({ kind: 'number', text: m[3] });
    else if (m[4]) tokens.push({ kind: 'op', text: m[4] === '<>' ? '!=' : m[4] });
    else if (m[5]) tokens.push({ kind: 'punct', text: m[5] });
    else tokens.push({ kind: 'ident', text: m[6]! });
  }
  return tokens;
}

function unquote(key: string): string {
  return /^[`"].*[`"]$/.test(key) ? key.slice(1, -1) : key;
}

/** Parses `metrics.acc`, `params."a b"`, `run_name` … into a run field. */
export function parseFieldName(name: string): RunField {
  const first = name.indexOf('.');
  const entity = first < 0 ? '' : name.slice(0, first).toLowerCase();
  const key = unquote(first < 0 ? name : name.slice(first + 1));
  switch (entity) {
    case 'metric': case 'metrics': return { kind: 'metric', key };
    case 'param': case 'params': case 'parameter': case 'parameters': return { kind: 'param', key };
    case 'tag': case 'tags': return { kind: 'tag', key };
    case '': case 'attribute': case 'attributes': case 'attr': case 'run': {
      const attribute = attributeNames[key];
      if (!attribute) throw new UserInputError(`Unsupported attribute "${key}"; use one of ${Object.keys(attributeNames).join(', ')}`);
      return { kind: 'attribute', key: attribute };
    }
    default:
      throw new UserInputError(`Invalid entity type "${entity}" in "${name}"`);
  }
}

function valueFor(field: RunField, token: Token): string | number {
  if (field.kind === 'metric' && token.kind !== 'number') throw new UserInputError(`Metric comparison needs a number, got "${token.text}"`);
  if ((field.kind === 'param' || field.kind === 'tag') && token.kind !== 'string') throw new UserInputError(`Param and tag values must be quoted strings, got ${token.text}`);
  if (field.kind === 'attribute' && field.key === 'status' && token.kind === 'string') {
    const status = fromMlflowStatus(token.text.toUpperCase());
    if (!status) throw new UserInputError(`Unknown run status "${token.text}"`);
    return status;
  }
  return token.kind === 'number' ? Number(token.text) : token.text;
}

function readOp(tokens: Token[], i: number): [FilterOp, number] {
  const t = tokens[i];
  if (t?.kind === 'op') return [t.text as FilterOp, i + 1];
  const word = t?.kind === 'ident' ? t.text.toUpperCase() : '';
  if (word === 'LIKE' || word === 'ILIKE' || word === 'IN') return [word, i + 1];
  if (word === 'NOT' && tokens[i + 1]?.text.toUpperCase() === 'IN') return ['NOT IN', i + 2];
  throw new UserInputError(`Expected a comparison operator, got "${t?.text ?? 'end of filter'}"`);
}

/** Parses an MLflow search filter into AND-joined clauses (empty filter → no clauses). */
export function parseSearchFilter(filter: string | undefined): FilterClause[] {
  const tokens = tokenize(filter ?? '');
  const clauses: FilterClause[] = [];
  let i = 0;
  while (i < tokens.length) {
    const name = tokens[i];
    if (name?.kind !== 'ident') throw new UserInputError(`Expected an identifier, got "${name?.text}"`);
    const field = parseFieldName(name.text);
    const [op, next] = readOp(tokens, i + 1);
    i = next;
    if (op === 'IN' || op === 'NOT IN') {
      if (tokens[i]?.text !== '(') throw new UserInputError(`${op} needs a parenthesised list`);
      const values: (string | number)[] = [];
      i++;
      while (tokens[i] && tokens[i]!.text !== ')') {
        if (tokens[i]!.text !== ',') values.push(valueFor(field, tokens[i]!));
        i++;
      }
      if (tokens[i]?.text !== ')') throw new UserInputError(`Unclosed list after ${op}`);
      clauses.push({ field, op, value: values });
      i++;
    } else {
      const token = tokens[i];
      if (!token || (token.kind !== 'string' && token.kind !== 'number')) throw new UserInputError(`Expected a value after ${op}`);
      clauses.push({ field, op, value: valueFor(field, token) });
      i++;
    }
    if (i < tokens.length) {
      if (tokens[i]!.kind !== 'ident' || tokens[i]!.text.toUpperCase() !== 'AND') throw new UserInputError(`Only AND joins clauses; got "${tokens[i]!.text}"`);
      i++;
    }
  }
  return clauses;
}

/** Parses MLflow `order_by` entries; the default is newest start time first. */
export function parseOrderBy(orderBy: readonly string[] | undefined): SortKey[] {
  return (orderBy ?? []).map((entry) => {
    const m = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(entry);
    if (!m) throw new UserInputError(`Invalid order_by "${entry}"`);
    return { field: parseFieldName(m[1]!), descending: (m[2] ?? 'ASC').toUpperCase() === 'DESC' };
  });
}
