import { createTransportPair } from './messages';
import { describeRpcContract } from './rpc-contract.testkit';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from './frame';

describeRpcContract('an in-memory transport', async () => {
  const [client, server] = createTransportPair();
  return { client, server };
});

describe('encodeFrame(message) / decodeFrame(frame)', () => {
  it('keeps text messages as JSON text and binary parts as bytes', () => {
    expect(typeof encodeFrame({ t: 'cancel', id: 3 })).toBe('string');
    const frame = encodeFrame({ t: 'ok', id: 1, result: { a: new Uint8Array([9, 8]), b: [new Uint8Array([7])] } });
    expect(frame).toBeInstanceOf(Uint8Array);
    expect(decodeFrame(frame)).toEqual({ t: 'ok', id: 1, result: { a: new Uint8Array([9, 8]), b: [new Uint8Array([7])] } });
  });
  it('rejects truncated and malformed frames with a plain error', () => {
    const frame = encodeFrame({ t: 'ok', id: 1, result: new Uint8Array(100) });
    expect(() => decodeFrame((frame as Uint8Array).subarray(0, 50))).toThrow(/Malformed frame/);
    expect(() => decodeFrame(new Uint8Array([0, 0, 0, 200, 1, 2, 3, 4]))).toThrow(/Malformed frame/);
  });
});
