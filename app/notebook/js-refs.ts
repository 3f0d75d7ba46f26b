import { parse, parseExpressionAt, type AnyNode, type Class, type Function as FunctionNode, type Options, type Pattern } from 'acorn';
import { base, recursive, type RecursiveVisitors, type WalkerCallback } from 'acorn-walk';

/** Globals a cell may use without depending on another cell (ECMAScript plus common host APIs). */
export const jsGlobals: ReadonlySet<string> = new Set([
  'globalThis', 'undefined', 'NaN', 'Infinity', 'Math', 'JSON', 'Object', 'Array', 'Number', 'String', 'Boolean',
  'Symbol', 'BigInt', 'Date', 'RegExp', 'Map', 'Set', 'WeakMap', 'WeakSet', 'WeakRef', 'FinalizationRegistry',
  'Promise', 'Proxy', 'Reflect', 'Intl', 'Atomics', 'ArrayBuffer', 'SharedArrayBuffer', 'DataView',
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
  'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array', 'Error', 'TypeError', 'RangeError',
  'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError', 'Function', 'parseInt', 'parseFloat',
  'isNaN', 'isFinite', 'encodeURI', 'encodeURIComponent', 'decodeURI', 'decodeURIComponent', 'eval',
  'console', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'queueMicrotask', 'structuredClone',
  'fetch', 'Request', 'Response', 'Headers', 'URL', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'Blob',
  'AbortController', 'AbortSignal', 'performance', 'crypto', 'atob', 'btoa', 'window', 'self', 'document', 'navigator',
]);

const parseOptions: Options = {
  ecmaVersion: 'latest',
  sourceType: 'module',
  allowAwaitOutsideFunction: true,
  allowReturnOutsideFunction: true,
};

class Scope {
  readonly names = new Set<string>();
  constructor(readonly parent: Scope | undefined, readonly isFunction: boolean) {}

  functionScope(): Scope {
    return this.isFunction || !this.parent ? this : this.parent.functionScope();
  }

  has(name: string): boolean {
    return this.names.has(name) || (this.parent?.has(name) ?? false);
  }
}

interface Reference {
  name: string;
  scope: Scope;
}

/** Declares every name bound by `pattern` in `target`, walking defaults and computed keys in `scope`. */
function declarePattern(pattern: Pattern, target: Scope, scope: Scope, c: WalkerCallback<Scope>): void {
  switch (pattern.type) {
    case 'Identifier': target.names.add(pattern.name); return;
    case 'ObjectPattern':
      for (const prop of pattern.properties) {
        if (prop.type === 'RestElement') { declarePattern(prop.argument, target, scope, c); continue; }
        if (prop.computed) c(prop.key, scope);
        declarePattern(prop.value, target, scope, c);
      }
      return;
    case 'ArrayPattern': for (const el of pattern.elements) if (el) declarePattern(el, target, scope, c); return;
    case 'RestElement': declarePattern(pattern.argument, target, scope, c); return;
    case 'AssignmentPattern': declarePattern(pattern.left, target, scope, c); c(pattern.right, scope); return;
    case 'MemberExpression': c(pattern, scope); return;
  }
}

function walkFunction(node: FunctionNode, outer: Scope, c: WalkerCallback<Scope>): void {
  let parent = outer;
  if (node.id && !isDeclaration(node)) {
    parent = new Scope(outer, false);
    parent.names.add(node.id.name);
  }
  const scope = new Scope(parent, true);
  if (!isArrow(node)) scope.names.add('arguments');
  for (const param of node.params) declarePattern(param, scope, scope, c);
  if (node.body.type === 'BlockStatement') for (const statement of node.body.body) c(statement, scope);
  else c(node.body, scope);
}

function isDeclaration(node: FunctionNode | Class): boolean {
  return 'type' in node && (node.type === 'FunctionDeclaration' || node.type === 'ClassDeclaration');
}

function isArrow(node: FunctionNode): boolean {
  return 'type' in node && node.type === 'ArrowFunctionExpression';
}

function walkClass(node: Class, outer: Scope, c: WalkerCallback<Scope>): void {
  if (node.superClass) c(node.superClass, outer);
  const scope = new Scope(outer, false);
  if (node.id) scope.names.add(node.id.name);
  c(node.body, scope);
}

function visitors(refs: Reference[]): RecursiveVisitors<Scope> {
  const block = (node: { body: readonly AnyNode[] }, scope: Scope, c: WalkerCallback<Scope>, isFunction: boolean) => {
    const inner = new Scope(scope, isFunction);
    for (const statement of node.body) c(statement, inner);
  };
  return {
    Identifier: (node, scope) => { refs.push({ name: node.name, scope }); },
    // assignment targets (`x = 1`, `for (x of xs)`) are references too: they write another cell's name
    Pattern: (node, scope, c) => {
      if (node.type === 'Identifier') refs.push({ name: node.name, scope });
      else base.Pattern!(node, scope, c);
    },
    VariableDeclaration: (node, scope, c) => {
      const target = node.kind === 'var' ? scope.functionScope() : scope;
      for (const decl of node.declarations) {
        declarePattern(decl.id, target, scope, c);
        if (decl.init) c(decl.init, scope);
      }
    },
    FunctionDeclaration: (node, scope, c) => { if (node.id) scope.names.add(node.id.name); walkFunction(node, scope, c); },
    Function: (node, scope, c) => walkFunction(node, scope, c),
    ClassDeclaration: (node, scope, c) => { if (node.id) scope.names.add(node.id.name); walkClass(node, scope, c); },
    Class: (node, scope, c) => walkClass(node, scope, c),
    BlockStatement: (node, scope, c) => block(node, scope, c, false),
    StaticBlock: (node, scope, c) => block(node, scope, c, true),
    CatchClause: (node, scope, c) => {
      const inner = new Scope(scope, false);
      if (node.param) declarePattern(node.param, inner, inner, c);
      c(node.body, inner);
    },
    ForStatement: (node, scope, c) => base.ForStatement!(node, new Scope(scope, false), c),
    ForInStatement: (node, scope, c) => base.ForInStatement!(node, new Scope(scope, false), c),
    ForOfStatement: (node, scope, c) => base.ForOfStatement!(node, new Scope(scope, false), c),
    SwitchStatement: (node, scope, c) => {
      c(node.discriminant, scope);
      const inner = new Scope(scope, false);
      for (const clause of node.cases) c(clause, inner);
    },
    ImportDeclaration: (node, scope) => { for (const spec of node.specifiers) scope.names.add(spec.local.name); },
  };
}

/** Free names of a parsed node: referenced but bound neither inside it nor as a JS global. */
function freeNames(node: AnyNode, root: Scope): string[] {
  const refs: Reference[] = [];
  recursive(node, root, visitors(refs), base);
  const free = new Set<string>();
  for (const { name, scope } of refs) if (!scope.has(name) && !jsGlobals.has(name)) free.add(name);
  return [...free];
}

/** The result of reading a cell's JavaScript: free variables in first-use order, or a syntax error. */
export type JsAnalysis = { ok: true; free: string[] } | { ok: false; message: string; offset: number };

function syntaxError(error: unknown): JsAnalysis {
  if (error instanceof SyntaxError) {
    const offset = 'pos' in error && typeof error.pos === 'number' ? error.pos : 0;
    return { ok: false, message: error.message, offset };
  }
  throw error;
}

/**
 * Free variables of a JS cell body: names it reads from outside (other cells, inputs) after
 * excluding its own declarations, parameters, destructured names, class and function names,
 * catch parameters, imports and `jsGlobals`. The body is read as an async module body, so
 * top-level `await` and `return` parse.
 */
export function jsFreeVariables(source: string): JsAnalysis {
  try {
    const program = parse(source, parseOptions);
    return { ok: true, free: freeNames(program, new Scope(undefined, true)) };
  } catch (error) {
    return syntaxError(error);
  }
}

/**
 * Parses the expression that starts at `offset` of `text` (e.g. just after `${`) and returns its
 * end offset and free variables. Used for Markdown interpolations.
 */
export function jsExpressionAt(text: string, offset: number): { end: number; analysis: JsAnalysis } {
  try {
    const node = parseExpressionAt(text, offset, parseOptions);
    return { end: node.end, analysis: { ok: true, free: freeNames(node, new Scope(undefined, true)) } };
  } catch (error) {
    return { end: text.length, analysis: syntaxError(error) };
  }
}

/**
 * The body of the async function that runs a JS cell: the source as written, except that a
 * final expression statement becomes `return (…);`, so a cell's value is its last expression
 * (or its explicit `return`). Returns the analysis error when the source does not parse.
 */
export function jsCellBody(source: string): { ok: true; body: string } | { ok: false; message: string; offset: number } {
  let program;
  try {
    program = parse(source, parseOptions);
  } catch (error) {
    const failed = syntaxError(error);
    return failed.ok ? { ok: false, message: 'unreadable source', offset: 0 } : failed;
  }
  const last = program.body[program.body.length - 1];
  if (!last || last.type !== 'ExpressionStatement') return { ok: true, body: source };
  const expression = last.expression;
  const body = `${source.slice(0, last.start)}return (${source.slice(expression.start, expression.end)});${source.slice(last.end)}`;
  return { ok: true, body };
}
