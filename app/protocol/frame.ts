import type { Message } from './messages';

const BIN_KEY = '__vajra_bin__';

/**
 * Encodes a message for a byte-stream transport (WebSocket). Without binary parts it is a JSON
 * string (a text frame). With Uint8Array/ArrayBuffer parts it is one binary frame:
 * `u32 headerLength | header JSON (binaries replaced by {"__vajra_bin__": i}) | u32 count |
 * (u32 length | bytes)*` — big-endian lengths. Binary data never becomes a JSON array of numbers.
 */
export function encodeFrame(message: Message): string | Uint8Array {
  const parts: Uint8Array[] = [];
  const header = JSON.stringify(message, (_key, value: unknown) => {
    if (value instanceof Uint8Array) return { [BIN_KEY]: parts.push(value) - 1 };
    if (value instanceof ArrayBuffer) return { [BIN_KEY]: parts.push(new Uint8Array(value)) - 1 };
    return typeof value === 'bigint' ? Number(value) : value;
  });
  if (parts.length === 0) return header;
  const headerBytes = new TextEncoder().encode(header);
  let size = 8 + headerBytes.length;
  for (const p of parts) size += 4 + p.length;
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, headerBytes.length);
  out.set(headerBytes, 4);
  let offset = 4 + headerBytes.length;
  view.setUint32(offset, parts.length);
  offset += 4;
  for (const p of parts) {
    view.setUint32(offset, p.length);
    out.set(p, offset + 4);
    offset += 4 + p.length;
  }
  return out;
}

/** Decodes what `encodeFrame` produced. Throws a plain-words error on a malformed frame. */
export function decodeFrame(frame: string | Uint8Array): unknown {
  if (typeof frame === 'string') return JSON.parse(frame);
  if (frame.length < 8) throw new Error('Malformed frame: too short');
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const headerLength = view.getUint32(0);
  if (4 + headerLength + 4 > frame.length) throw new Error('Malformed frame: header length out of range');
  const header = new TextDecoder('utf-8', { fatal: true }).decode(frame.subarray(4, 4 + headerLength));
  let offset = 4 + headerLength;
  const count = view.getUint32(offset);
  offset += 4;
  const parts: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    if (offset + 4 > frame.length) throw new Error('Malformed frame: truncated part header');
    const length = view.getUint32(offset);
    if (offset + 4 + length > frame.length) throw new Error('Malformed frame: truncated part');
    parts.push(frame.slice(offset + 4, offset + 4 + length));
    offset += 4 + length;
  }
  return JSON.parse(header, (_key, value: unknown) => {
    if (typeof value === 'object' && value !== null && BIN_KEY in value) {
      const index = (value as Record<string, unknown>)[BIN_KEY];
      const part = typeof index === 'number' ? parts[index] : undefined;
      if (!part) throw new Error('Malformed frame: missing binary part');
      return part;
    }
    return value;
  });
}
