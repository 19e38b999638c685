/**
 * The kernels binary with its memory import made `shared` (the threads proposal), so the
 * same compiled kernels can run in two threads over one WebAssembly.Memory backed by a
 * SharedArrayBuffer. A module whose import says unshared cannot be given a shared memory
 * (and the other way round), so the bytes are rewritten once here instead of shipping a
 * second pair of binaries: only the import section changes; code and data stay the same.
 */

/** The largest memory a shared import accepts: 65536 pages, 4 GiB (the wasm32 limit). */
const MAX_PAGES = 65536;

function readLeb(bytes: Uint8Array, at: number): { value: number; next: number } {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = bytes[at++];
    if (b === undefined) throw new Error('truncated LEB128');
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if ((b & 0x80) === 0) return { value, next: at };
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) b |= 0x80;
    out.push(b);
  } while (value > 0);
  return out;
}

/** Skips a limits field (flags, min, max when flagged) and returns where it ends. */
function skipLimits(bytes: Uint8Array, at: number): number {
  const flags = bytes[at++];
  at = readLeb(bytes, at).next;
  return flags & 1 ? readLeb(bytes, at).next : at;
}

/** The import section's content with every memory import turned into a shared one with the largest maximum. */
function shareImports(content: Uint8Array): number[] {
  const out: number[] = [];
  const count = readLeb(content, 0);
  out.push(...content.subarray(0, count.next));
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    const start = at;
    for (let name = 0; name < 2; name++) {
      const len = readLeb(content, at);
      at = len.next + len.value;
    }
    const kind = content[at++];
    out.push(...content.subarray(start, at));
    if (kind === 0x02) {
      const min = readLeb(content, at + 1).value;
      at = skipLimits(content, at);
      out.push(0x03, ...leb(min), ...leb(MAX_PAGES)); // flags: has maximum, shared
    } else {
      const descStart = at;
      if (kind === 0x00) at = readLeb(content, at).next; // function: type index
      else if (kind === 0x01) at = skipLimits(content, at + 1); // table: element type, limits
      else if (kind === 0x03) at += 2; // global: value type, mutability
      else throw new Error(`unknown import kind ${kind}`);
      out.push(...content.subarray(descStart, at));
    }
  }
  return out;
}

/** `binary` (a wasm module) with its memory imports shared; every other section as it was. */
export function withSharedMemoryImport(binary: Uint8Array): Uint8Array<ArrayBuffer> {
  const parts: Uint8Array[] = [binary.subarray(0, 8)]; // magic and version
  let at = 8;
  while (at < binary.length) {
    const id = binary[at];
    const size = readLeb(binary, at + 1);
    const end = size.next + size.value;
    if (id === 0x02) {
      const shared = shareImports(binary.subarray(size.next, end));
      parts.push(new Uint8Array([id, ...leb(shared.length), ...shared]));
    } else {
      parts.push(binary.subarray(at, end));
    }
    at = end;
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}
