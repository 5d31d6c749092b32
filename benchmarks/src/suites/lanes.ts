/**
 * k tangent lanes against repeated sweeps: hvpMany carrying k directions in one tangent sweep and
 * one reverse sweep, against k applies of one hvpOperator (one sweep pair per direction), on the
 * scalar Rosenbrock and on the 100-200-10 network. Every row checks hvpMany against the applies
 * (and Rosenbrock against its closed form) before it is timed.
 */
import { hvpMany, hvpOperator, type Pytree, type Scalar } from '@dualtape/core';
import { maxRelDiff, time } from '../lib/measure.js';
import type { LanesRow } from '../lib/protocol.js';
import { randomArray, randomParams, sseLoss } from '../two-layer.js';
import { rosenbrock, rosenbrockHvp } from './rosenbrock.js';

interface Problem {
  readonly name: string;
  readonly f: (x: never) => Scalar;
  readonly x: Pytree;
  readonly n: number;
  /** Tape nodes one recording of f makes. */
  readonly nodes: number;
  /** An independent H·v, when there is one. */
  readonly closedForm?: (v: Float64Array) => Float64Array;
}

function problems(quick: boolean): Problem[] {
  const n = quick ? 20_000 : 100_000;
  const x = randomArray(n, 5, 1.5);
  const D = 100, H = 200, K = 10, N = quick ? 64 : 256;
  const net = { D, H, K };
  const params = randomParams(net, 3);
  return [
    {
      name: 'Rosenbrock, scalar ops', f: rosenbrock as (x: never) => Scalar, x, n,
      nodes: (n / 2) * 12 - 1, closedForm: (v) => rosenbrockHvp(x, v),
    },
    {
      name: `network ${D}-${H}-${K}, N = ${N}`, f: sseLoss(net, randomArray(N * D, 7), randomArray(N * K, 8), N) as (x: never) => Scalar,
      x: { w1: params.w1, b1: params.b1, w2: params.w2, b2: params.b2 } as unknown as Pytree, n: H * D + H + K * H + K,
      // matmul, add, tanh, matmul, add, sub, square, sum, mul and the reshapes/transposes of the weights
      nodes: 0,
    },
  ];
}

/** k directions H·vⱼ by k applies of one operator, row after row (what hvpMany did before lanes). */
function repeated(op: { applyFlat(v: Float64Array): Float64Array }, V: Float64Array, n: number): Float64Array {
  const out = new Float64Array(V.length);
  for (let j = 0; j < V.length / n; j++) out.set(op.applyFlat(V.subarray(j * n, (j + 1) * n)), j * n);
  return out;
}

export function lanesRows(quick: boolean): LanesRow[] {
  const rows: LanesRow[] = [];
  for (const p of problems(quick)) {
    const op = hvpOperator(p.f as never, p.x);
    for (const k of [4, 8]) {
      const V = randomArray(k * p.n, 11 + k);
      const lanes = hvpMany(p.f as never, p.x, V) as Float64Array;
      const single = repeated(op, V, p.n);
      let err = maxRelDiff(lanes, single);
      if (!(err <= 1e-13)) throw new Error(`${p.name}, k = ${k}: hvpMany differs from ${k} hvpOperator applies by ${err}`);
      if (p.closedForm) {
        for (let j = 0; j < k; j++) err = Math.max(err, maxRelDiff(lanes.subarray(j * p.n, (j + 1) * p.n), p.closedForm(V.subarray(j * p.n, (j + 1) * p.n))));
        if (!(err <= 1e-12)) throw new Error(`${p.name}, k = ${k}: hvpMany differs from the closed form by ${err}`);
      }
      // On a shared machine load comes and goes: hvpMany and the operator it subtracts are timed
      // in turn, twice, and each keeps its fastest.
      const many = () => time(() => hvpMany(p.f as never, p.x, V), quick).ms;
      // hvpMany's fixed part: recording f and sweeping its value and gradient, with no direction
      // (a bare hvpOperator keeps its tape, so its arrays are new at every call: it would cost more).
      const none = new Float64Array(0);
      const operator = () => time(() => hvpMany(p.f as never, p.x, none), quick).ms;
      const o1 = operator(), m1 = many(), o2 = operator(), m2 = many();
      const operatorMs = Math.min(o1, o2), hvpManyMs = Math.min(m1, m2);
      rows.push({
        problem: p.name, n: p.n, nodes: p.nodes, k, err, operatorMs, hvpManyMs,
        repeatedMs: time(() => repeated(op, V, p.n), quick).ms,
      });
    }
  }
  return rows;
}
