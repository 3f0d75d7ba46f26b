/**
 * The part of the platform `AbortSignal` that app/ uses. app/ compiles without DOM or Node types,
 * so it names this structural subset; a real AbortSignal satisfies it everywhere.
 */
export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Progress of a long job: `done` of `total` units (total 0 when unknown), with a short message. */
export interface Progress {
  done: number;
  total: number;
  message?: string;
}

/** Reports progress; cheap to call often (callers throttle). */
export type ProgressSink = (progress: Progress) => void;
