/**
 * `{ checkFinite: true }`: find the first NaN or ±Infinity on a tape and say where it came from.
 * Runs only when asked, after a sweep, so it costs nothing otherwise.
 * @module
 */
import { FiniteError } from './errors.js';
import { ruleOf, type Tape } from './tape.js';

type Lane = 'value' | 'tangent' | 'adjoint' | 'R{adjoint}';

/** The numbers of node i in one lane (null when the lane is zero / not stored). */
function laneOf(tape: Tape, i: number, lane: Lane): ArrayLike<number> | null {
  if (tape.isTensor(i)) {
    const t = tape.tensorAt(i);
    return lane === 'value' ? t.data : lane === 'tangent' ? t.dataDot : lane === 'adjoint' ? t.bar : t.barDot;
  }
  const lanes = { value: tape.vals, tangent: tape.dots, adjoint: tape.bars, 'R{adjoint}': tape.barDots };
  return [lanes[lane][i]];
}

function firstNonFinite(values: ArrayLike<number> | null): number {
  if (!values) return -1;
  for (let k = 0; k < values.length; k++) if (!Number.isFinite(values[k])) return k;
  return -1;
}

function describeNode(tape: Tape, i: number, k: number): string {
  const element = tape.isTensor(i) ? ` element ${k}` : '';
  return `node ${i} (${ruleOf(tape.op[i]).name})${element}`;
}

/**
 * Values, and tangents when recorded or (`tangents`) swept since: the first non-finite one in
 * creation order. A tape recorded without a direction (hvpOperator, linearize, jacobian by columns)
 * has its tangents from a later tangent sweep, which passes `tangents`.
 */
export function assertFiniteForward(name: string, tape: Tape, tangents = tape.withTangent): void {
  const lanes: Lane[] = tangents ? ['value', 'tangent'] : ['value'];
  for (let i = 0; i < tape.length; i++) {
    for (const lane of lanes) {
      if (lane === 'tangent' && tape.active[i] !== 1) continue;
      const values = laneOf(tape, i, lane);
      const k = firstNonFinite(values);
      if (k >= 0) {
        throw new FiniteError(`${name}: the ${lane} of ${describeNode(tape, i, k)} is ${values![k]}; checkFinite forbids non-finite values`);
      }
    }
  }
}

/**
 * After a reverse sweep: the adjoint lanes filled by it. The reverse sweep runs from the last node
 * back, so the first non-finite adjoint is on the highest-indexed node; the op that pushed it there is
 * the one that consumed that node, named in the message.
 */
export function assertFiniteAdjoints(name: string, tape: Tape): void {
  const lanes: Lane[] = [];
  if (tape.sweepBar) lanes.push('adjoint');
  if (tape.sweepBarDot) lanes.push('R{adjoint}');
  for (let i = tape.length - 1; i >= 0; i--) {
    if (tape.active[i] !== 1) continue;
    for (const lane of lanes) {
      const values = laneOf(tape, i, lane);
      const k = firstNonFinite(values);
      if (k < 0) continue;
      let consumer = '';
      for (let j = i + 1; j < tape.length; j++) {
        if (tape.inputsOf(j).includes(i)) {
          consumer = `, pushed by ${describeNode(tape, j, 0).replace(/ element 0$/, '')}`;
          break;
        }
      }
      throw new FiniteError(
        `${name}: the ${lane} of ${describeNode(tape, i, k)} is ${values![k]}${consumer} (a local derivative is not finite there); checkFinite forbids non-finite values`,
      );
    }
  }
}

/**
 * The values of nodes [from, to): what a nested transform recorded on the enclosing tape (its
 * derivatives are values there), for a nested call with checkFinite.
 */
export function assertFiniteRange(name: string, tape: Tape, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const values = laneOf(tape, i, 'value');
    const k = firstNonFinite(values);
    if (k >= 0) {
      throw new FiniteError(`${name}: a derivative computed at ${describeNode(tape, i, k)} is ${values![k]}; checkFinite forbids non-finite values`);
    }
  }
}

/**
 * A compiled replay's inputs, leaf by leaf (`paths[k]` names leaf k below `root`, `scalar[k]` says
 * it is a number): the first NaN or ±Infinity, named as the transforms name it in x or v. Checked
 * before the replay, which would otherwise report it as a node's value or, for v, as a local
 * derivative that is not finite.
 */
export function assertFiniteLeaves(name: string, root: string, paths: readonly string[], scalar: readonly boolean[], leaves: ReadonlyArray<ArrayLike<number>>): void {
  leaves.forEach((values, leaf) => {
    const k = firstNonFinite(values);
    if (k < 0) return;
    const where = scalar[leaf] ? `${root}${paths[leaf]}` : `${root}${paths[leaf]}[${k}]`;
    throw new FiniteError(`${name}: ${where} is ${values[k]}; checkFinite forbids non-finite inputs`);
  });
}
