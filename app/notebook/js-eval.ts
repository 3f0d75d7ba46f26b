import { UserInputError, VajraError } from '../base/errors';
import { jsCellBody } from './js-refs';

type AsyncBody = (...args: unknown[]) => Promise<unknown>;
type AsyncFunctionConstructor = new (...argsAndBody: string[]) => AsyncBody;

/** The AsyncFunction constructor: builds `async function (names…) { body }` from text. */
function asyncFunctionConstructor(): AsyncFunctionConstructor {
  const proto: unknown = Object.getPrototypeOf(async () => undefined);
  const ctor: unknown = proto !== null && typeof proto === 'object' && 'constructor' in proto ? proto.constructor : undefined;
  if (typeof ctor !== 'function') throw new VajraError('no_async_function', 'This JavaScript engine has no AsyncFunction constructor.');
  return ctor as AsyncFunctionConstructor;
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** The position in the cell of a runtime error thrown by code built with AsyncFunction, when the stack says. */
function runtimePosition(error: unknown, headerLines: number): { line: number; column: number } | undefined {
  const stack = error instanceof Error ? error.stack ?? '' : '';
  // V8 names the built function `eval at …, <anonymous>:L:C`; the header takes `headerLines` lines.
  const match = /<anonymous>:(\d+):(\d+)/.exec(stack);
  if (!match) return undefined;
  const line = Number(match[1]) - headerLines;
  return line >= 1 ? { line, column: Number(match[2]) } : undefined;
}

/** A user's error with its position in the cell (detail.line/column) when known. */
function positioned(error: unknown, headerLines: number): unknown {
  if (!(error instanceof Error) || error instanceof VajraError) return error;
  const at = runtimePosition(error, headerLines);
  const message = `${error.name === 'Error' ? '' : `${error.name}: `}${error.message}`;
  return new VajraError('js', message, at ? { ...at } : undefined, error.name);
}

/**
 * Runs a JS cell's source as the body of an async function whose parameters are `bindings`'
 * keys: the value is the last expression statement (or what it returns); top-level await works.
 * A syntax error throws UserInputError with detail.line/column; a runtime error keeps its name
 * and message and gains the line in the cell where V8 reports it.
 */
export async function evaluateCell(source: string, bindings: Readonly<Record<string, unknown>>): Promise<unknown> {
  const body = jsCellBody(source);
  if (!body.ok) throw new UserInputError(`SyntaxError: ${body.message}`, lineColumn(source, body.offset));
  const names = Object.keys(bindings);
  const AsyncFunction = asyncFunctionConstructor();
  let fn: AsyncBody;
  try {
    fn = new AsyncFunction(...names, body.body);
  } catch (error) {
    throw new UserInputError(`SyntaxError: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    return await fn(...names.map((n) => bindings[n]));
  } catch (error) {
    throw positioned(error, 2);
  }
}

/** Evaluates one expression (a Markdown `${…}`) with `bindings` in scope. */
export async function evaluateExpression(expression: string, bindings: Readonly<Record<string, unknown>>): Promise<unknown> {
  return evaluateCell(`return (${expression}\n);`, bindings);
}
