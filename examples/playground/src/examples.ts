/**
 * The playground's examples, and the words it puts beside each step. Pure data and functions, no
 * DOM: the end-to-end test imports this file too, so the page and the test evaluate the same source.
 * @module
 */
import type { Trace } from '@dualtape/core';

/** What a step realizes, in words (and, for the two-layer network, PRML's equation numbers). */
export interface StepNote {
  readonly forward: string;
  readonly reverse: string;
}

export interface PlaygroundExample {
  readonly id: string;
  readonly title: string;
  readonly blurb: string;
  /** A function expression written with dualtape ops; `dt` is the @dualtape/core module. */
  readonly source: string;
  /** x and v as JSON (a number, an array, or an object of those). */
  readonly x: string;
  readonly v: string;
  /** Notes per tape node; only called when the trace has the tape this source records. */
  readonly notes?: (trace: Trace) => ReadonlyMap<number, StepNote> | null;
}

const scalar: PlaygroundExample = {
  id: 'scalar',
  title: 'Scalar: x·y + sin x',
  blurb: 'Five nodes. The Hessian is [[−sin x, 1], [1, 0]], so H·v = (−sin x·vₓ + v_y, vₓ): watch R{adjoint} of x collect −sin x·vₓ from the sin node and v_y from the product.',
  source: '(p) => p.x.mul(p.y).add(p.x.sin())',
  x: '{ "x": 2, "y": 3 }',
  v: '{ "x": 1, "y": -2 }',
};

const rosenbrock: PlaygroundExample = {
  id: 'rosenbrock',
  title: 'Rosenbrock: (1 − a)² + 100 (b − a²)²',
  blurb: 'The classic banana valley at the usual start (−1.2, 1). With v = e₁ the sweep returns the first column of the Hessian: 1200a² − 400b + 2 and −400a.',
  source: [
    '(x) => {',
    '  const a = x.at(0), b = x.at(1);',
    '  return a.sub(1).square().add(b.sub(a.square()).square().mul(100));',
    '}',
  ].join('\n'),
  x: '[-1.2, 1]',
  v: '[1, 0]',
};

/** The op sequence the network source records; the PRML notes are keyed to it. */
const NETWORK_OPS = [
  'leaf', 'leaf', 'leaf', 'leaf', 'constant', 'reshape', 'matmul', 'add', 'tanh',
  'reshape', 'matmul', 'add', 'constant', 'sub', 'square', 'sum', 'constant', 'mul',
];

const NETWORK_NOTES: readonly StepNote[] = [
  { forward: 'w_ji (first layer); R{w} = v (5.97)', reverse: '∂E/∂w_ji (5.109) and R{∂E/∂w_ji} = (H·v) for w_ji (5.111) are complete' },
  { forward: 'b_j; R{b} = v_b (5.97)', reverse: '∂E/∂b_j = δ_j and R{∂E/∂b_j} = R{δ_j}: 5.109 and 5.111 with x_i = 1' },
  { forward: 'w_kj (second layer); R{w} = v (5.97)', reverse: '∂E/∂w_kj (5.108) and R{∂E/∂w_kj} (5.110) are complete' },
  { forward: 'b_k; R{b} = v_b (5.97)', reverse: '∂E/∂b_k = δ_k and R{∂E/∂b_k} = R{δ_k}: 5.108 and 5.110 with z_j = 1' },
  { forward: 'the input x_i (data: R{x} = 0, no adjoint)', reverse: '' },
  { forward: 'w_ji viewed as an H×D matrix (layout only)', reverse: 'hands ∂E/∂w_ji and its R{·} back to w1 unchanged' },
  {
    forward: 'Σ_i w_ji x_i (5.98); R{·} = Σ_i v_ji x_i (5.101)',
    reverse: '∂E/∂w_ji = δ_j x_i (5.109); R{∂E/∂w_ji} = x_i R{δ_j} (5.111)',
  },
  {
    forward: 'a_j = Σ_i w_ji x_i + b_j (5.98); R{a_j} = Σ_i v_ji x_i + v_bj (5.101)',
    reverse: 'δ_j and R{δ_j} pass to the matmul and to the bias b_j',
  },
  {
    forward: 'z_j = h(a_j) (5.99); R{z_j} = h′(a_j) R{a_j} (5.102)',
    reverse: 'δ_j = h′(a_j) Σ_k w_kj δ_k (5.105); R{δ_j} = h″(a_j) R{a_j} Σ_k w_kj δ_k + h′(a_j) Σ_k v_kj δ_k + h′(a_j) Σ_k w_kj R{δ_k} (5.107): the dual product (z̄_j, R{z̄_j})·(h′(a_j), h″(a_j) R{a_j})',
  },
  { forward: 'w_kj viewed as a K×H matrix (layout only)', reverse: 'hands ∂E/∂w_kj and its R{·} back to w2 unchanged' },
  {
    forward: 'Σ_j w_kj z_j (5.100); R{·} = Σ_j w_kj R{z_j} + Σ_j v_kj z_j (5.103)',
    reverse: '∂E/∂w_kj = δ_k z_j (5.108); R{∂E/∂w_kj} = R{δ_k} z_j + δ_k R{z_j} (5.110); to z_j: Σ_k w_kj δ_k and Σ_k v_kj δ_k + Σ_k w_kj R{δ_k}, the sums inside 5.105 and 5.107',
  },
  {
    forward: 'y_k = a_k = Σ_j w_kj z_j + b_k (5.100, linear outputs); R{y_k} (5.103)',
    reverse: 'δ_k and R{δ_k} pass to the matmul and to the bias b_k',
  },
  { forward: 'the target t_k (data)', reverse: '' },
  { forward: 'y_k − t_k; its R{·} is R{y_k} since R{t_k} = 0', reverse: 'passes (δ_k, R{δ_k}) on to y_k: t_k is data and gets nothing' },
  { forward: '(y_k − t_k)²', reverse: 'δ_k = y_k − t_k (5.104) and R{δ_k} = R{y_k} (5.106)' },
  { forward: 'Σ_k (y_k − t_k)²', reverse: 'gives each k the adjoint ½ (and R{·} = 0)' },
  { forward: 'the constant ½', reverse: '' },
  { forward: 'E = ½ Σ_k (y_k − t_k)², the sum-of-squares error of one pattern (5.11)', reverse: 'seed: ∂E/∂E = 1, R{1} = 0; pushes ½ to the sum' },
];

const network: PlaygroundExample = {
  id: 'network',
  title: 'PRML §5.4.6: two-layer network (1-2-1, tanh)',
  blurb: 'One pattern through D = 1 input, H = 2 tanh hidden units, K = 1 linear output, sum-of-squares error. Each step names the equation of §5.4.6 it realizes: the forward sweep is 5.98–5.103, the reverse sweep 5.104–5.111 — computed by the engine, not by hand.',
  source: [
    '(p) => {',
    '  const x = dt.tensor([0.5]);                         // x_i',
    '  const a = p.w1.reshape([2, 1]).matmul(x).add(p.b1); // a_j (5.98)',
    '  const z = a.tanh();                                 // z_j = h(a_j) (5.99)',
    '  const y = p.w2.reshape([1, 2]).matmul(z).add(p.b2); // y_k (5.100)',
    '  // E = ½ Σ_k (y_k − t_k)², with the target t = 0.2',
    '  return y.sub(dt.tensor([0.2])).square().sum().mul(0.5);',
    '}',
  ].join('\n'),
  x: '{ "w1": [0.3, -0.4], "b1": [0.1, 0.2], "w2": [0.7, -0.5], "b2": [0.05] }',
  v: '{ "w1": [1, 0.5], "b1": [-0.3, 0.2], "w2": [0.4, 1], "b2": [-1] }',
  notes(trace) {
    const ops = trace.rows.map((r) => r.op);
    if (ops.length !== NETWORK_OPS.length || ops.some((op, i) => op !== NETWORK_OPS[i])) return null;
    return new Map(NETWORK_NOTES.map((note, i) => [i, note]));
  },
};

export const EXAMPLES: readonly PlaygroundExample[] = [scalar, rosenbrock, network];

/** What each op's rules say, for the status line when no textbook equation applies. */
export const OP_RULES: Readonly<Record<string, StepNote>> = {
  leaf: { forward: 'a parameter: value x, tangent R{x} = v', reverse: 'a leaf: its adjoint is ∂f/∂x and its R{adjoint} is (H·v) for x' },
  constant: { forward: 'data: R{·} = 0, and it gets no adjoint', reverse: '' },
  add: { forward: 'y = a + b; R{y} = R{a} + R{b}', reverse: '(ā, R{ā}) += (ȳ, R{ȳ}); (b̄, R{b̄}) += (ȳ, R{ȳ})' },
  sub: { forward: 'y = a − b; R{y} = R{a} − R{b}', reverse: '(ā, R{ā}) += (ȳ, R{ȳ}); (b̄, R{b̄}) −= (ȳ, R{ȳ})' },
  mul: { forward: 'y = a·b; R{y} = R{a}·b + a·R{b}', reverse: '(ā, R{ā}) += (ȳ, R{ȳ})·(b, R{b}); (b̄, R{b̄}) += (ȳ, R{ȳ})·(a, R{a}) — dual products' },
  div: { forward: 'y = a/b; R{y} = (R{a} − y·R{b})/b', reverse: 'ā += ȳ/b, b̄ −= ȳ·y/b, each with its R{·} by the dual product' },
  neg: { forward: 'y = −x; R{y} = −R{x}', reverse: '(x̄, R{x̄}) −= (ȳ, R{ȳ})' },
  square: { forward: 'y = x²; R{y} = 2x·R{x}', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(2x, 2R{x})' },
  sqrt: { forward: 'y = √x; R{y} = R{x}/(2y)', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(f′(x), f″(x)·R{x})' },
  sin: { forward: 'y = sin x; R{y} = cos x·R{x}', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(cos x, −sin x·R{x})' },
  cos: { forward: 'y = cos x; R{y} = −sin x·R{x}', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(−sin x, −cos x·R{x})' },
  exp: { forward: 'y = eˣ; R{y} = y·R{x}', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(y, y·R{x})' },
  log: { forward: 'y = ln x; R{y} = R{x}/x', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(1/x, −R{x}/x²)' },
  tanh: { forward: 'y = tanh x; R{y} = (1 − y²)·R{x}', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(1 − y², −2y(1 − y²)·R{x})' },
  sigmoid: { forward: 'y = σ(x); R{y} = y(1 − y)·R{x}', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})·(σ′(x), σ″(x)·R{x})' },
  pow: { forward: 'y = aᵇ; R{y} by the partials of aᵇ', reverse: 'dual products with the partials (and their R{·})' },
  sum: { forward: 'y = Σ xₖ; R{y} = Σ R{xₖ}', reverse: 'every (x̄ₖ, R{x̄ₖ}) += (ȳ, R{ȳ})' },
  mean: { forward: 'y = mean of xₖ; R{y} = mean of R{xₖ}', reverse: 'every (x̄ₖ, R{x̄ₖ}) += (ȳ, R{ȳ})/n' },
  at: { forward: 'y = x[k]; R{y} = R{x}[k]', reverse: '(x̄[k], R{x̄[k]}) += (ȳ, R{ȳ})' },
  dot: { forward: 'y = Σ aₖbₖ; R{y} = Σ R{aₖ}bₖ + aₖR{bₖ}', reverse: '(āₖ, R{āₖ}) += (ȳ, R{ȳ})·(bₖ, R{bₖ}), and the same for b' },
  matmul: { forward: 'C = A·B; R{C} = R{A}·B + A·R{B}', reverse: 'Ā += C̄·Bᵀ, R{Ā} += R{C̄}·Bᵀ + C̄·R{B}ᵀ; B̄ += Aᵀ·C̄, R{B̄} += R{A}ᵀ·C̄ + Aᵀ·R{C̄}' },
  reshape: { forward: 'the same numbers in a new shape', reverse: 'the adjoints flow back unchanged' },
  transpose: { forward: 'y = xᵀ; R{y} = R{x}ᵀ', reverse: '(x̄, R{x̄}) += (ȳ, R{ȳ})ᵀ' },
  promote: { forward: 'a scalar as a 0-d tensor', reverse: 'the adjoint flows back unchanged' },
};

/** The equation numbers a note cites: "… (5.98); … (5.101)" → "5.98, 5.101". */
export function equationNumbers(note: string): string {
  return [...note.matchAll(/\((5\.\d+)\)/g)].map((m) => m[1]).join(', ');
}

/** The note for node `index` in the given sweep. */
export function noteFor(trace: Trace, notes: ReadonlyMap<number, StepNote> | null, index: number, sweep: 'forward' | 'reverse'): string {
  const own = notes?.get(index)?.[sweep];
  if (own) return own;
  return OP_RULES[trace.rows[index].op]?.[sweep] ?? '';
}
