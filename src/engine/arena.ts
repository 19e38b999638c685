/**
 * Hands out typed arrays from one buffer, 16-byte aligned (SIMD loads). With no buffer it
 * only measures: the same allocation code runs twice, once to size the buffer, once to
 * place everything in it. Offset 0 is never used (0 means "no pointer" to the kernels).
 */
export class Arena {
  private offset = 16;

  constructor(private readonly buffer?: ArrayBuffer) {}

  get size(): number {
    return this.offset;
  }

  private take(bytes: number): number {
    const at = this.offset;
    this.offset = Math.ceil((at + bytes) / 16) * 16;
    return at;
  }

  f32(n: number): Float32Array {
    const at = this.take(n * 4);
    return this.buffer ? new Float32Array(this.buffer, at, n) : new Float32Array(0);
  }

  i8(n: number): Int8Array {
    const at = this.take(n);
    return this.buffer ? new Int8Array(this.buffer, at, n) : new Int8Array(0);
  }
}
