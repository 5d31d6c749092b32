/**
 * Per-op copies of the elementwise primal loops. One loop shared by every op calls each op's f from
 * one call site, which V8 then sees with dozens of functions (megamorphic) and never inlines: add's
 * a + b costs a call per element there. A copy compiled for one op (new Function) sees only that
 * op's f and inlines it; the results are the same numbers, f applied to the same arguments. Where
 * code generation is refused (a Content-Security-Policy without 'unsafe-eval'), shared loops run.
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

// The loops as source text, compiled once per f (the parameter of the text); a string, so that no
// tool rewriting this file's functions (name helpers, coverage counters) can reach into the copies.
const UNARY_SOURCE = `return (xs, ys, p) => {
  for (let k = 0; k < ys.length; k++) ys[k] = f(xs[k], p);
};`;

const BINARY_SOURCE = `return (as, bs, ys, layout) => {
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
};`;

// The same loops shared by every op, where code generation is refused.
function sharedUnary(f: F1): UnaryLoop {
  return (xs, ys, p) => {
    for (let k = 0; k < ys.length; k++) ys[k] = f(xs[k], p);
  };
}

function sharedBinary(f: F2): BinaryLoop {
  return (as, bs, ys, layout) => {
    const n = ys.length;
    const p = layout === 0 ? n : layout === 1 ? bs.length : as.length;
    for (let k = 0; k < n; k++) {
      const j = k % p;
      ys[k] = f(layout === 2 ? as[j] : as[k], layout === 1 ? bs[j] : bs[k]);
    }
  };
}

let canGenerate = true;

/** The loop of `source` compiled for f, or the shared one where code generation is refused. */
function copyOf<F, L>(f: F, source: string, shared: (f: F) => L): L {
  if (canGenerate) {
    try {
      return new Function('f', source)(f) as L;
    } catch {
      canGenerate = false; // e.g. a Content-Security-Policy that forbids eval
    }
  }
  return shared(f);
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
  if (!loop) unaryLoops.set(f, (loop = copyOf(f, UNARY_SOURCE, sharedUnary)));
  return loop;
}

/** The loop ys[k] = f(a, b) over the layouts of {@link BinaryLoop} for this f, compiled once per f. */
export function binaryLoop(f: F2): BinaryLoop {
  let loop = binaryLoops.get(f);
  if (!loop) binaryLoops.set(f, (loop = copyOf(f, BINARY_SOURCE, sharedBinary)));
  return loop;
}
