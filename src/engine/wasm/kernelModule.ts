/**
 * The compiled kernels module (kernels.wat), shared by the GPT-2 kernels (wasmKernels.ts) and
 * the GGUF ones (quantKernels.ts): the relaxed-SIMD build where the runtime validates it
 * (fused multiply-adds; Electron's V8 in desktop VS Code), else the plain SIMD build (Node 20,
 * code-server), else none (no WebAssembly or no SIMD: the TypeScript kernels run).
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernelsBinary';
import { withSharedMemoryImport } from './sharedMemoryImport';

export type KernelVariant = 'relaxed-simd' | 'simd';

/**
 * A function that returns f32x4.relaxed_madd of its arguments: the smallest module that
 * only a runtime with relaxed SIMD validates.
 */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // one function of that type
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x85, 0x02, 0x0b, // body: relaxed_madd (0xfd 0x105)
]);

function decode(base64: string) {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Whether this runtime has WebAssembly relaxed SIMD. */
export function relaxedSimdAvailable(): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

const compiled = new Map<string, WebAssembly.Module | null>();
let preferred: KernelVariant | undefined;

function compile(variant: KernelVariant, shared: boolean): WebAssembly.Module | null {
  const key = `${variant}${shared ? '+shared' : ''}`;
  if (!compiled.has(key)) {
    try {
      const bytes = decode(variant === 'relaxed-simd' ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64);
      compiled.set(key, new WebAssembly.Module(shared ? withSharedMemoryImport(bytes) : bytes));
    } catch {
      compiled.set(key, null); // no SIMD, or (shared) no WebAssembly threads
    }
  }
  return compiled.get(key)!;
}

/**
 * Models loaded from now on use `variant` (tests and `bench engine --kernels` compare the
 * two); undefined goes back to the best the runtime has. Models already loaded keep theirs.
 */
export function preferKernels(variant: KernelVariant | undefined): void {
  preferred = variant;
}

/**
 * The module new models instantiate, and which build it is; undefined without WebAssembly
 * SIMD. `shared`: the build whose memory import is shared (kernelThreads.ts), undefined
 * where the runtime has no WebAssembly threads.
 */
export function kernelModule(shared = false): { module: WebAssembly.Module; variant: KernelVariant } | undefined {
  const order: KernelVariant[] = preferred === 'simd' ? ['simd'] : relaxedSimdAvailable() ? ['relaxed-simd', 'simd'] : ['simd'];
  for (const variant of order) {
    const module = compile(variant, shared);
    if (module) return { module, variant };
  }
  return undefined;
}
