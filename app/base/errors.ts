import type { CancelSignal } from './signal';

/**
 * Errors that cross the protocol keep their `name` and `message`; `code` is a stable machine key
 * and `detail` optional structured context (file, line, column, node id …) for the UI to show.
 */
export class VajraError extends Error {
  readonly code: string;
  readonly detail: Readonly<Record<string, unknown>> | undefined;

  constructor(code: string, message: string, detail?: Record<string, unknown>, name = 'VajraError') {
    super(message);
    this.name = name;
    this.code = code;
    this.detail = detail;
  }
}

/** The request was cancelled by its caller (an AbortSignal fired). */
export class CancelledError extends VajraError {
  constructor(message = 'Cancelled') {
    super('cancelled', message, undefined, 'CancelledError');
  }
}

/** Bad input from a user or a client: shown to the user as is. */
export class UserInputError extends VajraError {
  constructor(message: string, detail?: Record<string, unknown>) {
    super('bad_input', message, detail, 'UserInputError');
  }
}

/** The plain-data form of any error, as it travels over a transport. */
export interface ErrorData {
  name: string;
  message: string;
  code?: string;
  detail?: Record<string, unknown>;
}

/** Turns anything thrown into `ErrorData` without losing name, message, code or detail. */
export function toErrorData(error: unknown): ErrorData {
  if (error instanceof VajraError) {
    return { name: error.name, message: error.message, code: error.code, ...(error.detail ? { detail: { ...error.detail } } : {}) };
  }
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: 'Error', message: String(error) };
}

/** Rebuilds a throwable error from `ErrorData` on the receiving side. */
export function fromErrorData(data: ErrorData): VajraError {
  return new VajraError(data.code ?? 'error', data.message, data.detail, data.name);
}

/** Throws CancelledError when `signal` has fired; call between chunks of long work. */
export function throwIfAborted(signal: CancelSignal | undefined): void {
  if (signal?.aborted) throw new CancelledError();
}
