// Training: Newton-CG (curvature's trust region on exact H·v) and the gradient-descent baseline.
import { describe, expect, it } from 'vitest';
import { NetworkDataError, OptionError, figure53Data, flattenParams, lossValue, train, twoLayerNet } from '../src/index.js';

const net = twoLayerNet({ inputs: 1, hidden: 3, outputs: 1, activation: 'tanh', output: 'linear' });
const [square] = figure53Data(50, 2024);

describe('train, Newton-CG', () => {
  // Figure 5.3(a) shows the fit on top of the points. E < 1e-3 summed over 50 points means an RMS
  // residual below √(2·1e-3/50) ≈ 0.006, a fraction of a plotted point's radius. Gradient descent
  // below shows that the threshold is not met by just any run.
  it.each([1, 2, 3])('fits x² (PRML Fig. 5.3a) to E = ½Σ(y − t)² < 1e-3 over N = 50 points within 100 iterations (init seed %i)', (seed) => {
    const start = net.init(seed);
    const before = flattenParams(start);
    const r = train(net, start, square.X, square.T, { method: 'newton-cg', maxIterations: 100 });
    expect(r.loss).toBeLessThan(1e-3);
    // The reported loss is the error of the returned parameters, computed independently.
    expect(lossValue(net.spec, r.params, square.X, square.T)).toBeCloseTo(r.loss, 14);
    expect(r.hvpCount).toBeGreaterThan(0);
    expect(r.history).toHaveLength(r.iterations);
    expect(r.history.at(-1)?.hvpCount).toBe(r.hvpCount);
    // A trust region only accepts decreases.
    for (let k = 1; k < r.history.length; k++) expect(r.history[k].loss).toBeLessThanOrEqual(r.history[k - 1].loss);
    expect(flattenParams(start)).toEqual(before); // the starting point is not modified
  });

  it('reports progress and stops when onIteration returns false', () => {
    const seen: number[] = [];
    const r = train(net, net.init(1), square.X, square.T, {
      onIteration: (p) => {
        seen.push(p.iteration);
        return p.iteration < 5;
      },
    });
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(r.iterations).toBe(5);
    expect(r.reason).toBe('stopped-by-callback');
  });

  it('stops at the gradient tolerance', () => {
    const r = train(net, net.init(2), square.X, square.T, { gradTolerance: 1e-2, maxIterations: 500 });
    expect(r.converged).toBe(true);
    expect(r.reason).toBe('gradient-tolerance');
    expect(r.gradNorm).toBeLessThanOrEqual(1e-2);
  });

  // The tolerance is absolute for both methods: converged means ‖∇E‖ ≤ gradTolerance, however small
  // the tolerance is against the first gradient (newtonCG alone would also stop at 1e-12·‖∇E₀‖).
  it.each([1e-13, 1e-14])('reports converged only with ‖∇E‖ ≤ gradTolerance = %s, a tolerance far below 1e-12·‖∇E₀‖', (tol) => {
    const [, data] = figure53Data(50, 1); // sin(πx): ‖∇E₀‖ ≈ 19, so 1e-12·‖∇E₀‖ ≈ 1.9e-11
    const r = train(net, net.init(1), data.X, data.T, { gradTolerance: tol, maxIterations: 1000 });
    if (r.converged) expect(r.gradNorm).toBeLessThanOrEqual(tol);
    else expect(r.reason).not.toBe('gradient-tolerance');
    expect(r.reason === 'gradient-tolerance').toBe(r.gradNorm <= tol);
  });
});

describe('train, gradient descent', () => {
  it('decreases the error without H·v products, but stays above Newton-CG’s threshold in 1000 steps', () => {
    const start = net.init(1);
    const E0 = lossValue(net.spec, start, square.X, square.T);
    const r = train(net, start, square.X, square.T, { method: 'gradient-descent', maxIterations: 1000, learningRate: 0.01 });
    expect(r.hvpCount).toBe(0);
    expect(r.iterations).toBe(1000);
    expect(r.loss).toBeLessThan(E0);
    expect(r.loss).toBeGreaterThan(1e-3);
    expect(lossValue(net.spec, r.params, square.X, square.T)).toBeCloseTo(r.loss, 14);
  });

  it('stops with reason "diverged" when the step is far too large, keeping the last finite point', () => {
    const r = train(net, net.init(1), square.X, square.T, { method: 'gradient-descent', maxIterations: 200, learningRate: 1e3 });
    expect(r.reason).toBe('diverged');
    expect(Number.isFinite(r.loss)).toBe(true);
  });
});

describe('train, a starting point that is not finite', () => {
  it.each([['newton-cg'], ['gradient-descent']] as const)(
    '%s: a NetworkDataError naming the parameter (Newton-CG named "newtonCG: x0[6]", gradient descent said "diverged")',
    (method) => {
      const start = net.init(1);
      const params = { ...start, w2: Float64Array.from(start.w2, (w, k) => (k === 1 ? Number.NaN : w)) };
      const call = () => train(net, params, square.X, square.T, { method, maxIterations: 3 });
      expect(call).toThrow(NetworkDataError);
      expect(call).toThrow(/^train: params\.w2\[1\] is NaN; training starts from finite parameters/);
      const infinite = { ...start, b1: Float64Array.from(start.b1, () => Number.POSITIVE_INFINITY) };
      expect(() => train(net, infinite, square.X, square.T, { method })).toThrow(/^train: params\.b1\[0\] is Infinity/);
    },
  );
});

describe('train, options', () => {
  it.each([
    [{ method: 'adam' }, /^train: option 'method' must be one of 'newton-cg', 'gradient-descent', got 'adam'$/],
    [{ maxIterations: -1 }, /^train: option 'maxIterations' must be an integer ≥ 0, got -1$/],
    [{ gradTolerance: Number.NaN }, /^train: option 'gradTolerance' must be a finite number ≥ 0, got NaN$/],
    [{ learningRate: 0 }, /^train: option 'learningRate' must be a finite number > 0, got 0$/],
    [{ onIteration: 'print' }, /^train: option 'onIteration' must be a function, got 'print'$/],
    [null, /^train: options must be an object \(or left out\), got null/],
  ])('rejects %o', (options, message) => {
    const call = () => train(net, net.init(1), square.X, square.T, options as never);
    expect(call).toThrow(OptionError);
    expect(call).toThrow(message);
  });

  it('a learningRate with Newton-CG (the default method) is an OptionError, not a step size silently dropped', () => {
    for (const options of [{ learningRate: 0.1 }, { method: 'newton-cg', learningRate: 0.1 }] as const) {
      const call = () => train(net, net.init(1), square.X, square.T, options);
      expect(call).toThrow(OptionError);
      expect(call).toThrow(/learningRate is gradient descent's step size.*method: 'gradient-descent'/);
    }
    expect(train(net, net.init(1), square.X, square.T, { method: 'gradient-descent', learningRate: 0.1, maxIterations: 3 }).iterations).toBe(3);
  });

  it('finite parameters with an infinite loss (weights of 1e200) are refused alike by both methods', () => {
    const p = net.init(1);
    const huge = { ...p, w2: p.w2.map((w) => w * 1e200) };
    for (const method of ['newton-cg', 'gradient-descent'] as const) {
      expect(() => train(net, huge, square.X, square.T, { method })).toThrow(NetworkDataError);
      expect(() => train(net, huge, square.X, square.T, { method })).toThrow(/the loss at the starting parameters is Infinity/);
    }
  });

  // The names curvature's newtonCG used to take, and the ones train used to take, all point to the one
  // vocabulary now: maxIterations, gradTolerance, onIteration.
  it.each([
    ['maxIter', 'maxIterations'],
    ['tolerance', null],
    ['gradTol', 'gradTolerance'],
    ['onProgress', null],
    ['maxiterations', 'maxIterations'],
    ['lr', 'learningRate'],
  ])('an unknown option %s is an OptionError that lists the valid names (nearest: %s)', (key, nearest) => {
    let caught: unknown;
    try {
      train(net, net.init(1), square.X, square.T, { [key]: 5 } as never);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(OptionError);
    const error = caught as OptionError;
    expect(error.problem).toMatchObject({ fn: 'train', kind: 'unknown-option', option: key, suggestion: nearest });
    expect(error.message).toContain('Valid options: method, maxIterations, gradTolerance, learningRate, onIteration');
  });
});

describe('train, progress', () => {
  it('reports ‖w‖₂ of the current parameters with every iteration, for both methods', () => {
    for (const method of ['newton-cg', 'gradient-descent'] as const) {
      const r = train(net, net.init(3), square.X, square.T, { method, maxIterations: 5 });
      expect(r.history).toHaveLength(5);
      const last = r.history[4];
      expect(last.paramNorm).toBeCloseTo(Math.hypot(...flattenParams(r.params)), 12);
    }
  });
});
