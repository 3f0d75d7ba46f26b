import { z } from 'zod';
import type { CancelSignal, ProgressSink } from '../base/signal';

/** One RPC method: a schema for its request object and one for its result. */
export interface MethodSpec<P extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  params: P;
  result: R;
  /** One line for people: shown in `--help`, logs and errors. */
  summary: string;
}

/** A contract: methods with schemas, and events (payload schemas) pushed by the serving side. */
export interface Contract {
  methods: Record<string, MethodSpec>;
  events: Record<string, z.ZodType>;
}

/** Declares a method; the schemas are mandatory, so a method cannot exist without them. */
export function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R, summary: string): MethodSpec<P, R> {
  return { params, result, summary };
}

export type MethodName<C extends Contract> = keyof C['methods'] & string;
export type EventName<C extends Contract> = keyof C['events'] & string;
/** What a caller passes (before defaults are applied by the schema). */
export type ParamsIn<C extends Contract, M extends MethodName<C>> = z.input<C['methods'][M]['params']>;
/** What a handler receives (after validation and defaults). */
export type ParamsOut<C extends Contract, M extends MethodName<C>> = z.output<C['methods'][M]['params']>;
export type Result<C extends Contract, M extends MethodName<C>> = z.output<C['methods'][M]['result']>;
export type EventPayload<C extends Contract, E extends EventName<C>> = z.output<C['events'][E]>;

/** What a handler gets besides its params: cancellation and progress of this one call. */
export interface CallContext {
  signal: CancelSignal;
  progress: ProgressSink;
}

/** The handlers of one domain's methods (`methods/<domain>.ts`), merged into the backend's. */
export type DomainHandlers<M extends Record<string, MethodSpec>> = Handlers<{ methods: M; events: Record<string, never> }>;

/** One handler per method of the contract, exhaustively (a missing one fails to compile). */
export type Handlers<C extends Contract> = {
  [M in MethodName<C>]: (params: ParamsOut<C, M>, context: CallContext) => Promise<Result<C, M>>;
};

/** Schema of a binary payload (file bytes, an Arrow IPC stream): crosses transports as bytes. */
export const bytes = z.custom<Uint8Array>((value) => value instanceof Uint8Array, { message: 'expected binary data' });
