// Second and third derivatives of sigmoid, softplus, logSigmoid, silu and logAddExp near 0 (near a = b),
// where σ″ = σ′·(1 − 2σ) and silu‴ are small: formed as 1 − 2σ or as the product rule's σ′σ(−x) −
// σσ′(−x), they cancelled (σ″(1e-9) by hvp 8e-8 off, by grad∘grad 2.8e-8; softplus‴, logSigmoid‴,
// logAddExp's third partials 2.7e-8, silu‴ up to 8e-8, found by a third-order sweep against mpmath on
// 2026-12-05). Now 1 − 2σ is the op sigmoidSpread (−tanh(x/2)) and, when nested, σ′ the op
// sigmoidSlope and silu′ the op siluSlope, with closed-form partials. Expected values: mpmath 1.3.0 at
// 60 digits, mp.diff of 1/(1 + e⁻ˣ), log1p(eˣ), −log1p(e⁻ˣ) and x/(1 + e⁻ˣ); the logAddExp partial
// ∂³/∂a³ at (x, −x) is σ″(2x).
import { describe, expect, it } from 'vitest';
import { grad, hvp, logAddExp, logSigmoid, sigmoid, silu, softplus, type Scalar, type Tensor } from '../src/index.js';
import { dot } from '../src/ops/index.js';

const MP: Record<string, Record<string, [number, number]>> = {
  // x: { op: [f″(x), f‴(x)] }
  '1e-9': { sigmoid: [-1.25e-10, -0.125], softplus: [0.25, -1.25e-10], logSigmoid: [-0.25, 1.25e-10], silu: [0.5, -5.0e-10] },
  '-3e-6': {
    sigmoid: [3.74999999998875e-7, -0.124999999998875], softplus: [0.2499999999994375, 3.74999999998875e-7],
    logSigmoid: [-0.2499999999994375, -3.74999999998875e-7], silu: [0.49999999999775, 1.49999999999325e-6],
  },
  '0.7': {
    sigmoid: [-0.07457878844034181, -0.07322671581020832], softplus: [0.22171287329310905, -0.07457878844034181],
    logSigmoid: [-0.22171287329310905, 0.07457878844034181], silu: [0.39122059467797883, -0.27499506638817125],
  },
};
/** σ″(2x) = ∂³ logAddExp(a, b)/∂a³ at a = x, b = −x (mpmath, as above). */
const LOG_ADD_EXP: Record<string, number> = { '1e-9': -2.5e-10, '-3e-6': 7.49999999991e-7, '0.7': -0.095904038761489569 };
const OPS: Record<string, (x: Scalar) => Scalar> = { sigmoid, softplus, logSigmoid, silu };
const TOLERANCE = 4e-15;
const close = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(TOLERANCE * Math.abs(want));

describe('near 0, second and third derivatives keep their relative accuracy', () => {
  for (const [point, table] of Object.entries(MP)) {
    const x = Number(point);
    for (const [name, [second, third]] of Object.entries(table)) {
      const f = OPS[name];
      it(`${name} at ${point}: f″ by hvp and grad∘grad, f‴ by grad∘hvp, grad∘grad∘grad and hvp∘grad`, () => {
        const g = (y: Scalar) => grad(f)(y) as Scalar;
        close(hvp(f, x, 1) as number, second);
        close(grad(g)(x) as number, second);
        close(grad((y: Scalar) => hvp(f, y, 1) as Scalar)(x) as number, third);
        close(grad((y: Scalar) => grad(g)(y) as Scalar)(x) as number, third);
        close(hvp(g, x, 1) as number, third);
      });
    }
    it(`logAddExp at (${x}, ${-x}): ∂³/∂a³ by grad∘hvp, grad∘grad∘grad and hvp∘grad`, () => {
      const f = (p: Tensor) => logAddExp(p.at(0), p.at(1));
      const e0 = [1, 0];
      const g = (p: Tensor) => dot(grad(f)(p) as Tensor, e0);
      const want = LOG_ADD_EXP[point];
      close((grad((p: Tensor) => dot(hvp(f, p, e0) as Tensor, e0))([x, -x]) as Float64Array)[0], want);
      close((grad((p: Tensor) => dot(grad(g)(p) as Tensor, e0))([x, -x]) as Float64Array)[0], want);
      close((hvp(g, [x, -x], e0) as Float64Array)[0], want);
    });
  }
});
