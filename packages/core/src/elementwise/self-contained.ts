/**
 * Functions that read nothing but their arguments and JavaScript's globals (Math), so that a
 * worker thread can rebuild them from their source text: a fused loop that calls only such
 * functions may be split across the kernel threads (kernels/threads.ts, Pool.map). Marked by the
 * ops whose `f` is a call into the math library (tanh, exp, log, sin, …): tens of nanoseconds an
 * element, where splitting pays for the copies it needs.
 * @module
 */

const marked = new WeakSet<object>();

/**
 * Marks `f` as self-contained (see the module comment) and returns it. Only for functions whose
 * text alone defines them: a closure over anything but globals would fail, or worse, in a worker.
 */
export function selfContained<F extends (...args: never[]) => number>(f: F): F {
  marked.add(f);
  return f;
}

/** Whether `f` was marked by {@link selfContained}. */
export function isSelfContained(f: unknown): boolean {
  return typeof f === 'function' && marked.has(f);
}
