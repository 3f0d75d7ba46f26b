import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createRng } from '../base/rng';
import { sha256Hex, utf8Decode, utf8Encode } from './bytes';

describe('bytes', () => {
  it('sha256Hex(data) equals node:crypto for empty, text and 0–300 random bytes', () => {
    const rng = createRng(5);
    expect(sha256Hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(sha256Hex('naïve ☃ 𝄞')).toBe(createHash('sha256').update('naïve ☃ 𝄞').digest('hex'));
    for (let n = 0; n < 300; n += 7) {
      const bytes = Uint8Array.from({ length: n }, () => rng.int(256));
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
  it('utf8Encode/utf8Decode agree with Buffer and round-trip astral characters', () => {
    const text = 'a é ☃ 𝄞 \u0000 end';
    expect([...utf8Encode(text)]).toEqual([...Buffer.from(text, 'utf8')]);
    expect(utf8Decode(Buffer.from(text, 'utf8'))).toBe(text);
    expect(utf8Decode(Uint8Array.from([0x61, 0xe2, 0x98]))).toBe('a\ufffd\ufffd');
  });
});
