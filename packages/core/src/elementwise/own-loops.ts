/**
 * Per-op copies of the elementwise primal loops. One loop shared by every op calls each op's f from
 * one call site, which V8 then sees with dozens of functions (megamorphic) and never inlines: add's
 * a + b costs a call per element there. A copy compiled for one op (new Function, from the shared
 * loop's own source text) sees only that op's f and inlines it; the results are the same numbers, f
 * applied to the same arguments. Where code generation is refused (a Content-Security-Policy
 * without 'unsafe-eval'), the shared loops run.
 * @module
 */

type F1 = (x: number, p: number) => number;
type F2 = (a: number, b: number) => number;

/** ys = f(xs, p) elementwise. */
export type UnaryLoop = (xs: Float64Array, ys: Float64Array, p: number) => void;

/**
 * ys = f(a, b) elementwise over ys.length, by `layout`: 0 both full; 1 `as` full and `bs` repeated
 * (ys[k] = f(as[k], bs[k mod bs.length]), a length-1 `bs` read as a number); 2 the other way round.
 */
export type BinaryLoop = (as: Float64Array, bs: Float64Array, ys: Float64Array, layout: 0 | 1 | 2) => void;

// The loops, as factories of f. Each must use nothing from outside itself but f and JavaScript's
// globals: its source text is compiled again per op.
function unaryFactory(f: F1): UnaryLoop {
  return function unaryLoop(xs, ys, p) {
    for (let k = 0; k < ys.length; k++) ys[k] = f(xs[k], p);
  };
}

function binaryFactory(f: F2): BinaryLoop {
  return function binaryLoop(as, bs, ys, layout) {
    const n = ys.length;
    if (layout === 0) {
      for (let k = 0; k < n; k++) ys[k] = f(as[k], bs[k]);
      return;
    }
    const p = layout === 1 ? bs.length : as.length;
    if (p === 1 && layout === 1) {
      const b = bs[0];
      for (let k = 0; k < n; k++) ys[k] = f(as[k], b);
    } else if (p === 1) {
      const a = as[0];
      for (let k = 0; k < n; k++) ys[k] = f(a, bs[k]);
    } else if (layout === 1) {
      for (let k0 = 0; k0 < n; k0 += p) for (let j = 0; j < p; j++) ys[k0 + j] = f(as[k0 + j], bs[j]);
    } else {
      for (let k0 = 0; k0 < n; k0 += p) for (let j = 0; j < p; j++) ys[k0 + j] = f(as[j], bs[k0 + j]);
    }
  };
}

let canGenerate = true;

/** A fresh copy of `factory` (its own compiled code and type feedback), or `factory` itself without codegen. */
function copyOf<F, L>(factory: (f: F) => L): (f: F) => L {
  if (!canGenerate) return factory;
  try {
    return new Function(`return (${factory.toString()});`)() as (f: F) => L;
  } catch {
    canGenerate = false; // e.g. a Content-Security-Policy that forbids eval
    return factory;
  }
}

let unaryLoops = new WeakMap<F1, UnaryLoop>();
let binaryLoops = new WeakMap<F2, BinaryLoop>();

/**
 * Turns the per-op copies off (the shared loops run, as under a CSP that forbids eval) or back on,
 * dropping the copies made so far; switched with the fused loops' codegen (allowFusedCodegen).
 * @internal
 */
export function allowLoopCopies(allowed: boolean): void {
  canGenerate = allowed;
  unaryLoops = new WeakMap();
  binaryLoops = new WeakMap();
}

/** The loop ys[k] = f(xs[k], p) for this f, compiled once per f. */
export function unaryLoop(f: F1): UnaryLoop {
  let loop = unaryLoops.get(f);
  if (!loop) unaryLoops.set(f, (loop = copyOf(unaryFactory)(f)));
  return loop;
}

/** The loop ys[k] = f(a, b) over the layouts of {@link BinaryLoop} for this f, compiled once per f. */
export function binaryLoop(f: F2): BinaryLoop {
  let loop = binaryLoops.get(f);
  if (!loop) binaryLoops.set(f, (loop = copyOf(binaryFactory)(f)));
  return loop;
}
