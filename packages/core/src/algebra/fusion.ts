/**
 * Fused elementwise loops for the numbers algebra. A rule written once against the algebra does its
 * tensor arithmetic one operation at a time — tanh's R-adjoint is R{ȳ}·(1 − y²) + ȳ·(R{x}·(−2y(1 − y²)))
 * — and done eagerly, each operation would be a pass over memory and a fresh array. Instead the
 * numbers algebra returns a {@link Lazy} expression for elementwise work on arrays; when a value is
 * needed (stored in a lane, fed to a matrix product, read as numbers) the whole expression runs as
 * ONE loop, with the lane update (`+=`) folded in.
 *
 * The loop is generated once per expression *shape* (which operations, which operands repeat) and
 * cached, so a rule's loop is compiled the first time it runs and reused for every node and call —
 * the way XLA fuses elementwise HLO, on a small scale. Where code generation is not allowed (a
 * Content-Security-Policy without 'unsafe-eval'), the same expression is evaluated by an
 * interpreter, one operation at a time.
 * @module
 */

/** An elementwise operation of a lazy expression. */
type Kind = '+' | '-' | '*' | '/' | 'neg' | 'f1' | 'f2';

/** An operand: another expression, an array of the expression's length, or a number (any shape). */
export type Operand = Lazy | Float64Array | number;

/**
 * An elementwise expression over arrays of length `n`, not computed yet. `'*'` is the product with
 * structural zeros of the algebra (0·∞ = 0, counted); `'f1'`/`'f2'` apply a function of one or two
 * numbers (an op's f, or a piecewise-constant mask), with the constant parameter `p` for f1.
 * @internal
 */
export class Lazy {
  constructor(
    readonly kind: Kind,
    readonly a: Operand,
    readonly b: Operand,
    readonly n: number,
    readonly fn: ((u: number, v: number) => number) | null = null,
  ) {}
}

/** The common length of operands (arrays and expressions), or −1 when all are numbers. */
export function lengthOf(a: Operand, b: Operand): number {
  const na = typeof a === 'number' ? -1 : a instanceof Lazy ? a.n : a.length;
  const nb = typeof b === 'number' ? -1 : b instanceof Lazy ? b.n : b.length;
  if (na >= 0 && nb >= 0 && na !== nb) throw new Error(`dualtape internal error: elementwise lengths ${na} and ${nb}`);
  return na >= 0 ? na : nb;
}

/** The structural-zero product of two numbers, counting indeterminate products (the algebra's). */
export type Times = (u: number, w: number) => number;

/**
 * Evaluates an expression into `out` (allocated when null), adding to it when `accumulate`. Returns
 * the array written.
 */
export function evaluate(e: Lazy, times: Times, out: Float64Array | null, accumulate: boolean): Float64Array {
  const target = out ?? new Float64Array(e.n);
  const plan = planOf(e);
  const kernel = kernelFor(plan, accumulate && out !== null);
  kernel(plan.arrays, plan.numbers, plan.fns, times, target, e.n);
  return target;
}

/** An expression flattened: its nodes in evaluation order, and the inputs the loop reads. */
interface Plan {
  /** One line per node, `t3 = t1 * a0[k]` style, which is also the cache key. */
  readonly code: string[];
  readonly arrays: Float64Array[];
  readonly numbers: number[];
  readonly fns: Array<(u: number, v: number) => number>;
  readonly result: string;
}

function planOf(root: Lazy): Plan {
  const arrays: Float64Array[] = [];
  const numbers: number[] = [];
  const fns: Array<(u: number, v: number) => number> = [];
  const code: string[] = [];
  const names = new Map<Lazy | Float64Array, string>();
  const fnNames = new Map<(u: number, v: number) => number, string>();
  const ref = (x: Operand): string => {
    if (typeof x === 'number') {
      numbers.push(x);
      return `c${numbers.length - 1}`;
    }
    const known = names.get(x);
    if (known) return known;
    if (x instanceof Float64Array) {
      arrays.push(x);
      const name = `a${arrays.length - 1}[k]`;
      names.set(x, name);
      return name;
    }
    // Post-order over the DAG: a shared subexpression is computed once per element.
    const a = ref(x.a);
    const b = x.kind === 'neg' || x.kind === 'f1' ? (typeof x.b === 'number' ? ref(x.b) : '0') : ref(x.b);
    let f = '';
    if (x.fn) {
      f = fnNames.get(x.fn) ?? '';
      if (!f) {
        fns.push(x.fn);
        f = `f${fns.length - 1}`;
        fnNames.set(x.fn, f);
      }
    }
    const t = `t${code.length}`;
    switch (x.kind) {
      case '+': code.push(`const ${t} = ${a} + ${b};`); break;
      case '-': code.push(`const ${t} = ${a} - ${b};`); break;
      case '/': code.push(`const ${t} = ${a} / ${b};`); break;
      case 'neg': code.push(`const ${t} = -${a};`); break;
      // Only a NaN product can be a 0·∞ for the structural-zero rule; + 0 makes a zero +0.
      case '*': code.push(`let ${t} = ${a} * ${b}; ${t} = ${t} === ${t} ? ${t} + 0 : times(${a}, ${b});`); break;
      case 'f1': code.push(`const ${t} = ${f}(${a}, ${b});`); break;
      case 'f2': code.push(`const ${t} = ${f}(${a}, ${b});`); break;
    }
    names.set(x, t);
    return t;
  };
  const result = ref(root);
  return { code, arrays, numbers, fns, result };
}

type Kernel = (
  arrays: Float64Array[], numbers: number[], fns: Array<(u: number, v: number) => number>,
  times: Times, out: Float64Array, n: number,
) => void;

const kernels = new Map<string, Kernel>();
const MAX_KERNELS = 2000;
let canGenerate = true;

function kernelFor(plan: Plan, accumulate: boolean): Kernel {
  const key = `${accumulate ? '+=' : '='}|${plan.arrays.length}|${plan.numbers.length}|${plan.fns.length}|${plan.code.join('')}|${plan.result}`;
  let kernel = kernels.get(key);
  if (kernel) return kernel;
  kernel = canGenerate ? generate(plan, accumulate) : interpret(plan, accumulate);
  if (kernels.size >= MAX_KERNELS) kernels.clear();
  kernels.set(key, kernel);
  return kernel;
}

function generate(plan: Plan, accumulate: boolean): Kernel {
  const prologue = [
    ...plan.arrays.map((_, i) => `const a${i} = arrays[${i}];`),
    ...plan.numbers.map((_, i) => `const c${i} = numbers[${i}];`),
    ...plan.fns.map((_, i) => `const f${i} = fns[${i}];`),
  ];
  const body = `${prologue.join('\n')}
for (let k = 0; k < n; k++) {
${plan.code.join('\n')}
out[k] ${accumulate ? '+=' : '='} ${plan.result};
}`;
  try {
    return new Function('arrays', 'numbers', 'fns', 'times', 'out', 'n', body) as Kernel;
  } catch {
    canGenerate = false; // e.g. a Content-Security-Policy that forbids eval
    return interpret(plan, accumulate);
  }
}

/** The same loop without code generation: each line evaluated in turn, element by element. */
function interpret(plan: Plan, accumulate: boolean): Kernel {
  const steps = plan.code.map(parseLine);
  return (arrays, numbers, fns, times, out, n) => {
    const t = new Float64Array(steps.length);
    const read = (ref: string, k: number): number => {
      const i = Number(ref.slice(1).replace('[k]', ''));
      if (ref[0] === 'a') return arrays[i][k];
      if (ref[0] === 'c') return numbers[i];
      return t[i];
    };
    for (let k = 0; k < n; k++) {
      for (let s = 0; s < steps.length; s++) {
        const { op, a, b, f } = steps[s];
        const u = read(a, k);
        const w = b === null ? 0 : read(b, k);
        t[s] = op === '+' ? u + w : op === '-' ? u - w : op === '/' ? u / w : op === 'neg' ? -u
          : op === '*' ? times(u, w) : fns[f](u, w);
      }
      const r = read(plan.result, k);
      out[k] = accumulate ? out[k] + r : r;
    }
  };
}

function parseLine(line: string): { op: string; a: string; b: string | null; f: number } {
  const m = /= (?:(-)(\w+(?:\[k\])?)|f(\d+)\((\S+), (\S+)\)|(\S+) ([-+*/]) (\S+?));/.exec(line);
  if (!m) throw new Error(`dualtape internal error: cannot interpret ${line}`);
  if (m[1]) return { op: 'neg', a: m[2], b: null, f: -1 };
  if (m[3]) return { op: 'f', a: m[4], b: m[5], f: Number(m[3]) };
  return { op: m[7], a: m[6], b: m[8], f: -1 };
}
