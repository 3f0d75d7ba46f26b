import { sha256Hex as sha256Of, utf8 } from '../base/sha256';
/**
 * Byte helpers for app/ (compiled without DOM or Node types, so no TextEncoder/crypto here):
 * UTF-8 encode/decode and SHA-256, used by the MLflow codecs on virtual file maps.
 */

/** UTF-8 bytes of `text` (lone surrogates become U+FFFD, like TextEncoder). */
export const utf8Encode: (text: string) => Uint8Array = utf8;

/** Text of UTF-8 `bytes` (invalid sequences become U+FFFD). */
export function utf8Decode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    const need = b >= 0xf0 && b < 0xf8 ? 3 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xc0 && b < 0xe0 ? 1 : -1;
    if (need < 0 || i + need >= bytes.length) {
      out += '\ufffd';
      i++;
      continue;
    }
    let c = b & (0x3f >> need);
    let ok = true;
    for (let k = 1; k <= need; k++) {
      const n = bytes[i + k]!;
      if ((n & 0xc0) !== 0x80) ok = false;
      c = (c << 6) | (n & 63);
    }
    if (!ok) {
      out += '\ufffd';
      i++;
      continue;
    }
    out += String.fromCodePoint(c);
    i += need + 1;
  }
  return out;
}

/** Bytes of a virtual file: strings are UTF-8 encoded. */
export function toBytes(data: string | Uint8Array): Uint8Array {
  return typeof data === 'string' ? utf8Encode(data) : data;
}

/** Text of a virtual file: bytes are UTF-8 decoded. */
export function toText(data: string | Uint8Array): string {
  return typeof data === 'string' ? data : utf8Decode(data);
}

/** SHA-256 of `data` (strings as UTF-8) as 64 lowercase hex digits. */
export function sha256Hex(data: string | Uint8Array): string {
  return sha256Of(toBytes(data));
}
