import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { sleep } from '../base/sleep';
import { CancelledError, UserInputError } from '../base/errors';
import type { Transport } from './messages';
import { createClient, serveRpc } from './rpc';
import { bytes, method, type Contract, type Handlers } from './spec';

/** A small contract exercising every RPC feature; used by the transport test suites. */
export const testContract = {
  methods: {
    echo: method(z.object({ text: z.string(), n: z.number().int().default(1) }), z.object({ text: z.string() }), 'echo'),
    fail: method(z.object({}), z.object({}), 'always fails'),
    slow: method(z.object({ ms: z.number() }), z.object({ finished: z.boolean() }), 'waits, cancellable'),
    bytes: method(z.object({ data: bytes }), z.object({ reversed: bytes, size: z.number() }), 'binary round trip'),
    count: method(z.object({ to: z.number() }), z.object({ done: z.number() }), 'reports progress'),
    announce: method(z.object({ text: z.string() }), z.object({}), 'emits an event'),
  },
  events: { announced: z.object({ text: z.string() }) },
} satisfies Contract;

type TestContract = typeof testContract;

/** Records what reached the backend, so tests can see cancellation arrive as an AbortSignal. */
export interface BackendLog {
  aborted: string[];
  calls: string[];
}

export function testHandlers(log: BackendLog, emit: (text: string) => void): Handlers<TestContract> {
  return {
    echo: async ({ text, n }) => (log.calls.push('echo'), { text: text.repeat(n) }),
    fail: async () => {
      throw new UserInputError('Column "age" has text values; expected numbers.', { column: 'age' });
    },
    slow: async ({ ms }, { signal }) => {
      log.calls.push('slow');
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          log.aborted.push('slow');
          reject(new CancelledError());
        }, { once: true });
      });
      return { finished: true };
    },
    bytes: async ({ data }) => ({ reversed: data.slice().reverse(), size: data.length }),
    count: async ({ to }, { progress }) => {
      for (let i = 1; i <= to; i++) progress({ done: i, total: to });
      return { done: to };
    },
    announce: async ({ text }) => (emit(text), {}),
  };
}

/**
 * The contract suite: the same behaviour over every transport. `connect` returns the client end
 * and the server end of a fresh channel.
 */
export function describeRpcContract(name: string, connect: () => Promise<{ client: Transport; server: Transport; dispose?: () => Promise<void> }>): void {
  describe(`RPC over ${name}`, () => {
    async function setup() {
      const { client: clientEnd, server: serverEnd, dispose } = await connect();
      const log: BackendLog = { aborted: [], calls: [] };
      const server = serveRpc(testContract, testHandlers(log, (text) => server.emit('announced', { text })), serverEnd, () => Date.now());
      const client = createClient<TestContract>(clientEnd);
      return { client, server, log, dispose: async () => (client.close(), server.close(), await dispose?.()) };
    }

    it('call() round-trips params and result, applying schema defaults', async () => {
      const t = await setup();
      await expect(t.client.call('echo', { text: 'ab', n: 2 })).resolves.toEqual({ text: 'abab' });
      await expect(t.client.call('echo', { text: 'x' })).resolves.toEqual({ text: 'x' });
      await t.dispose();
    });

    it('call() rejects with the error name, message and detail thrown by the handler', async () => {
      const t = await setup();
      const error = await t.client.call('fail', {}).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'UserInputError', message: 'Column "age" has text values; expected numbers.', code: 'bad_input', detail: { column: 'age' } });
      await t.dispose();
    });

    it('a request failing its schema is refused with a clear error and never reaches the handler', async () => {
      const t = await setup();
      const bad = { text: 42 } as unknown as { text: string };
      const error = await t.client.call('echo', bad).catch((e: unknown) => e);
      expect(error).toMatchObject({ name: 'BadRequest' });
      expect(String((error as Error).message)).toMatch(/echo at "text"/);
      expect(t.log.calls).toEqual([]);
      const unknown = await (t.client.call as (m: string, p: unknown) => Promise<unknown>)('nope', {}).catch((e: unknown) => e);
      expect(String((unknown as Error).message)).toMatch(/Unknown method "nope"/);
      await t.dispose();
    });

    it('cancelling the signal reaches the backend handler as an AbortSignal', async () => {
      const t = await setup();
      const controller = new AbortController();
      const pending = t.client.call('slow', { ms: 10_000 }, { signal: controller.signal });
      await waitFor(() => t.log.calls.includes('slow'));
      controller.abort();
      await expect(pending).rejects.toBeInstanceOf(CancelledError);
      await waitFor(() => t.log.aborted.includes('slow'));
      expect(t.server.inFlight).toBe(0);
      await t.dispose();
    });

    it('binary params and results cross as Uint8Array', async () => {
      const t = await setup();
      const data = new Uint8Array([1, 2, 3, 250]);
      const result = await t.client.call('bytes', { data });
      expect(result.reversed).toBeInstanceOf(Uint8Array);
      expect([...result.reversed]).toEqual([250, 3, 2, 1]);
      expect(result.size).toBe(4);
      await t.dispose();
    });

    it('progress reaches onProgress, the last step always delivered', async () => {
      const t = await setup();
      const seen: number[] = [];
      await t.client.call('count', { to: 5 }, { onProgress: (p) => seen.push(p.done) });
      expect(seen.at(-1)).toBe(5);
      await t.dispose();
    });

    it('events pushed by the backend reach subscribers', async () => {
      const t = await setup();
      const got: string[] = [];
      t.client.on('announced', ({ text }) => got.push(text));
      await t.client.call('announce', { text: 'hello' });
      await waitFor(() => got.length > 0);
      expect(got).toEqual(['hello']);
      await t.dispose();
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('waitFor timed out');
    await sleep(5);
  }
}
