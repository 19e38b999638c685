/**
 * Text <-> bytes for the tokenizer. UTF-8, except that a lone surrogate (possible in a
 * JavaScript string, impossible in UTF-8) is written as its 3-byte WTF-8 form instead of
 * being replaced by U+FFFD, so that decode(encode(s)) === s for every JavaScript string.
 */
export function encodeWtf8(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out[n++] = c;
    else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 0x3f);
    } else if (c < 0x10000) {
      // Includes lone surrogates U+D800..U+DFFF: the WTF-8 3-byte form.
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 0x3f);
      out[n++] = 0x80 | ((c >> 6) & 0x3f);
      out[n++] = 0x80 | (c & 0x3f);
    }
  }
  return out.subarray(0, n);
}

/**
 * Bytes -> text. Well-formed sequences (and WTF-8 surrogates) decode exactly; every other
 * byte becomes U+FFFD, so a model that emits half a character shows a visible marker.
 * With `holdIncomplete`, an incomplete sequence at the very end is left out and its
 * length returned, so a streaming caller can wait for the next token's bytes.
 */
export function decodeWtf8(bytes: ArrayLike<number>, holdIncomplete = false): { text: string; pending: number } {
  let text = '';
  const units: number[] = [];
  const flush = (): void => {
    text += String.fromCharCode(...units);
    units.length = 0;
  };
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b = bytes[i];
    let need = 0;
    let cp = 0;
    let min = 0;
    if (b < 0x80) {
      units.push(b);
      i++;
      if (units.length > 4096) flush();
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) {
      need = 1; cp = b & 0x1f; min = 0x80;
    } else if (b >= 0xe0 && b <= 0xef) {
      need = 2; cp = b & 0x0f; min = 0x800;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3; cp = b & 0x07; min = 0x10000;
    } else {
      units.push(0xfffd);
      i++;
      continue;
    }
    let j = 1;
    for (; j <= need && i + j < n; j++) {
      const c = bytes[i + j];
      if ((c & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (j <= need) {
      if (i + j >= n && holdIncomplete) {
        flush();
        return { text, pending: n - i };
      }
      units.push(0xfffd);
      i++;
      continue;
    }
    if (cp < min || cp > 0x10ffff) {
      units.push(0xfffd);
      i++;
      continue;
    }
    if (cp >= 0x10000) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    i += need + 1;
    if (units.length > 4096) flush();
  }
  flush();
  return { text, pending: 0 };
}
