// logSumExp, logSoftmax and softmax where a line is saturated (one element dominates, its softmax 1 to
// the last bit) and the adjoint into it is large and moving, against 60-digit mpmath
// (lse-reference/lse-saturated-mpmath.py). The composite log(sum(exp(x − m))) formed R{x̄} there as
// two terms of size |ȳ·ẋ| whose difference is ȳ·s·(ẋ − ẏ): H·e₂ of the differential test's
// reproducer was off by 1.4e-13 of itself. Checked at every order the rule takes part in: gradAndHvp,
// hvp, grad∘grad, jvp∘grad, the third order ∇(wᵀHv) along grad∘hvp, hvp∘grad and grad∘grad∘grad,
// and the fourth along two paths that must agree.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  dot, grad, hvp, jvp, logSoftmax, logSumExp, pow, softmax, softplus, tensor, type Scalar, type Tensor,
} from '../src/index.js';
import { EPS, expectAgrees, expectHvpByFourRoutes } from './hvp-routes.js';

interface Case {
  readonly loss: string;
  readonly x: number[];
  readonly v: number[];
  readonly w: number[];
  readonly value: number;
  readonly grad: number[];
  readonly hvp: number[];
  readonly third: number[];
}

const reference = JSON.parse(readFileSync(new URL('./lse-reference/lse-saturated-mpmath.json', import.meta.url), 'utf8')) as { cases: Case[] };

/** The losses of the reference script, by name. */
const LOSSES: Record<string, (x: Tensor) => Scalar> = {
  reproducer: (x) => {
    const x2 = x.mul(2);
    const p = pow(softplus(x2).add(0.5), dot(x2, x2)) as Tensor;
    return logSumExp(p).mul(p.at(1));
  },
  'logSumExp rows squared': (x) => logSumExp(x.reshape([3, 3]), 1).square().mul(tensor([1.37, -0.53, 2.11])).sum(),
  'logSumExp columns keepDims': (x) => {
    const m = x.reshape([2, 3]);
    return logSumExp(m, 0, true).mul(tensor([[1.37, 3.19, -2.03]])).mul(m.slice(0, 1, 0)).sum();
  },
  'logSoftmax rows': (x) => {
    const m = x.reshape([2, 3]);
    return logSoftmax(m, 1).mul(m).mul(tensor([1.37, 0.29, -0.53])).sum();
  },
  'softmax rows': (x) => {
    const m = x.reshape([2, 3]);
    return softmax(m, 1).mul(m.square()).mul(tensor([1.37, 0.29, -0.53])).sum();
  },
};

const name = (c: Case) => `${c.loss} at [${c.x}] along [${c.v}]`;
const cases = reference.cases.map((c) => [name(c), c] as const);

describe('logSumExp, logSoftmax and softmax at saturated lines agree with 60-digit mpmath', () => {
  it('has the reproducer and every loss', () => {
    expect(reference.cases.some((c) => c.loss === 'reproducer' && c.x[0] === 1.103216752 && c.v[1] === 1)).toBe(true);
    expect(new Set(reference.cases.map((c) => c.loss))).toEqual(new Set(Object.keys(LOSSES)));
  });

  it.each(cases)('%s: value, gradient and H·v (gradAndHvp, hvp, grad∘grad, jvp∘grad)', (_, c) => {
    expectHvpByFourRoutes(LOSSES[c.loss], c, { value: 8 * EPS, grad: 16 * EPS, hvp: 32 * EPS });
  });

  it.each(cases)('%s: the third-order ∇(wᵀHv) (grad∘hvp, hvp∘grad, grad∘grad∘grad)', (_, c) => {
    const f = LOSSES[c.loss];
    const v = tensor(c.v), w = tensor(c.w);
    const viaGrad = grad((t: Tensor) => dot(hvp(f, t, c.v) as unknown as Tensor, w))(c.x) as Float64Array;
    expectAgrees(viaGrad, c.third, 128 * EPS, 'grad∘hvp');
    const viaHvp = hvp((t: Tensor) => dot(grad(f)(t) as unknown as Tensor, w), c.x, c.v) as Float64Array;
    expectAgrees(viaHvp, c.third, 128 * EPS, 'hvp∘grad');
    const wHv = (t: Tensor) => dot(grad((s: Tensor) => dot(grad(f)(s) as unknown as Tensor, v))(t) as unknown as Tensor, w);
    expectAgrees(grad(wHv)(c.x) as Float64Array, c.third, 128 * EPS, 'grad∘grad∘grad');
  });

  // The fourth order has no reference; its two paths must agree: hvp over grad∘hvp takes softmaxBend's
  // closed-form fourth derivative Q, jvp over it differentiates softmaxBend's recorded third derivative.
  it.each(cases)('%s: the fourth order along two paths', (_, c) => {
    const f = LOSSES[c.loss];
    const w = tensor(c.w);
    const third = (t: Tensor) => grad((s: Tensor) => dot(hvp(f, s, c.v) as unknown as Tensor, w))(t) as unknown as Tensor;
    const z = c.x.map((_, k) => (k % 3 === 1 ? -1 : 1 / (k + 1)));
    const closed = hvp((t: Tensor) => dot(hvp(f, t, c.v) as unknown as Tensor, w), c.x, z) as Float64Array;
    const nested = jvp(third, c.x, z).tangent as Float64Array;
    expectAgrees(closed, Array.from(nested), 1e-12, 'hvp∘grad∘hvp against jvp∘grad∘hvp');
  });
});
