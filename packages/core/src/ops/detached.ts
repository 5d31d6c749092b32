// y = g(x) for a function g of x's values that is not differentiated: a constant that tracks x, such
// as the shift max(x) that makes logSumExp stable. Its derivatives are 0 (the computation it serves
// is exact for any value of it), but a compiled replay recomputes it at the new x, so the replay does
// the same arithmetic as recording there; when it also chooses which ops f records (logSumExp's
// infinite lines), its `branch` says so and a replay that chooses otherwise is a branch change.
// Internal: not exported from the package.
import type { Value } from '../algebra/algebra.js';
import { Scalar, Tensor, newScalar, newTensor } from '../node.js';
import type { Shape } from '../shape.js';
import { NO_INPUT, checkLive, registerRule, type OpRule } from '../tape.js';

/** The function of a detached node, given x's numbers (a number for a scalar node). */
export type Detach = (x: number | Float64Array) => number | Float64Array;

/** What a detached node chose at x's numbers, for compiled replays (see OpRule.branch). */
export type DetachBranch = (x: number | Float64Array) => number | Float64Array;

interface Saved {
  readonly g: Detach;
  readonly branch: DetachBranch | null;
  /** What the node is for, shown by traces (e.g. "guard of argmax's indices"). */
  readonly purpose?: string;
}

const rule: OpRule = {
  name: 'detached',
  describe(t, i) {
    return (t.saved.get(i) as Saved).purpose;
  },
  primal(o, L, i) {
    const { g } = L.tape.saved.get(i) as Saved;
    L.setVal(i, g(o.numbers(L.val(L.tape.in0[i])) as number | Float64Array) as Value);
  },
  branch(L, i) {
    const { branch } = L.tape.saved.get(i) as Saved;
    return branch === null ? 0 : branch(L.tape.o.numbers(L.val(L.tape.in0[i])) as number | Float64Array);
  },
  // A constant to every transform: nothing to carry forward, nothing to push back.
  tangent(_o, L, i) {
    L.setDot(i, 0);
  },
  backward() {},
};
const DETACHED = registerRule(rule);

/**
 * g(x) as a node that carries no derivative (a scalar node when `shape` is null), recomputed when a
 * compiled program replays; `branch`, when given, is what must stay the same for the replay to hold.
 * @internal
 */
export function detached(
  x: Scalar | Tensor, g: Detach, shape: Shape | null, branch: DetachBranch | null = null, purpose?: string,
): Scalar | Tensor {
  const t = checkLive(x.tape, 'detached');
  const value = g(x instanceof Scalar ? x.value : x.data);
  const y = shape === null
    ? newScalar(t, DETACHED, x.id, NO_INPUT, false, value as number, 0)
    : newTensor(t, DETACHED, x.id, NO_INPUT, false, shape, value as Float64Array, null);
  t.saved.set(y.id, { g, branch, purpose } satisfies Saved);
  return y;
}
