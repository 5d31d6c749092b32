// Whether this host runs WebAssembly relaxed SIMD (for f64x2.relaxed_madd, the kernels' fused
// multiply-add), and the one explicit way dualtape turns it on where it is behind a flag.
//
// Browsers and Node ≥ 22 ship relaxed SIMD; Node 20's V8 has it behind --experimental-wasm-relaxed-simd.
// Detection compiles a 40-byte module that uses the instruction, once, at the first product that
// asks. Turning the V8 flag on is process-global, so it happens only when the caller says so
// (setKernelBackend(…, { fma: true })), never as a side effect of a default.

/** (func (param v128 v128 v128) (result v128) f64x2.relaxed_madd): validates iff relaxed SIMD runs. */
const PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type: (v128 v128 v128) → v128
  0x03, 0x02, 0x01, 0x00, // one function of type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, 0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0xfd, 0x87, 0x02, 0x0b, // body
]);

interface ProbeApi {
  validate(bytes: Uint8Array): boolean;
}

let known: boolean | undefined;

/** Whether the host's WebAssembly has relaxed SIMD (checked once; again after {@link enableRelaxedSimd}). */
export function relaxedSimdAvailable(): boolean {
  if (known === undefined) {
    const api = (globalThis as { WebAssembly?: ProbeApi }).WebAssembly;
    try {
      known = api?.validate(PROBE) ?? false;
    } catch {
      known = false;
    }
  }
  return known;
}

/**
 * Turns on Node 20's `--experimental-wasm-relaxed-simd` for this process (V8's flags are global to
 * the process, worker threads included) if relaxed SIMD is not on already. Returns whether it is on
 * now; false where there is no such flag to set (a browser without relaxed SIMD).
 */
export function enableRelaxedSimd(): boolean {
  if (relaxedSimdAvailable()) return true;
  const p = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  try {
    const v8 = p?.getBuiltinModule?.('node:v8') as { setFlagsFromString(flags: string): void } | undefined;
    if (!v8) return false;
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    return false;
  }
  known = undefined;
  return relaxedSimdAvailable();
}
