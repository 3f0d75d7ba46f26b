// The few platform globals that every runtime of app/ has (Node ≥ 18, browsers, workers) but
// that lib ES2022 does not declare. app/ compiles without DOM and Node types on purpose.
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class AbortController {
  readonly signal: import('./signal').CancelSignal;
  abort(reason?: unknown): void;
}
declare function setTimeout(callback: () => void, ms?: number): unknown;
declare function clearTimeout(handle: unknown): void;
declare function queueMicrotask(callback: () => void): void;
declare const console: {
  log(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
};
