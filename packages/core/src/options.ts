/**
 * Run-time checks of options objects, shared by every dualtape package.
 *
 * TypeScript catches a misspelled option only in an object literal; a JavaScript caller or a computed
 * object gets nothing, and `{ checkfinite: true }` would silently turn strict mode off. So each
 * function that takes options declares them once as a spec ({@link OptionsSpec}) and calls
 * {@link checkOptions} on entry: an unknown key, a non-object, or a value of the wrong type or range
 * becomes a typed error that lists the valid names and suggests the nearest one.
 *
 * The shared vocabulary (the same idea has the same name in every package): `maxIterations`, `tolerance`
 * and `<quantity>Tolerance` (`gradTolerance`, `symmetryTolerance`, …), `learningRate`, `seed`, `probes`,
 * `start`, `onIteration`, `checkFinite`, `maxNodes`. Names are spelled out; there are no aliases.
 * @module
 */
import { ArgumentError, DualtapeError } from './errors.js';

/**
 * What kind of mistake an {@link OptionError} reports.
 *
 * @example
 * ```ts
 * if (error.problem?.kind === 'unknown-option') console.log(error.problem.suggestion);
 * ```
 */
export type OptionProblemKind = 'not-an-object' | 'unknown-option' | 'invalid-value';

/**
 * The facts behind an option error, for callers that want to act on it rather than read it.
 *
 * @example
 * ```ts
 * const { fn, option, validNames, suggestion }: OptionProblem = error.problem;
 * ```
 */
export interface OptionProblem {
  /** The function whose options were wrong, e.g. `'newtonCG'`. */
  readonly fn: string;
  readonly kind: OptionProblemKind;
  /** The offending key; `null` when the options object itself was wrong. */
  readonly option: string | null;
  /** The offending value (the whole options argument for `'not-an-object'`). */
  readonly value: unknown;
  /** Every option name the function accepts, in declaration order. */
  readonly validNames: readonly string[];
  /** The nearest valid name for an unknown key, or `null` when none is close. */
  readonly suggestion: string | null;
  /** What the value should have been, for `'invalid-value'` (e.g. `'an integer ≥ 0'`). */
  readonly expected: string | null;
}

/**
 * An options object that is not an object, holds a key the function does not know, or holds a value
 * of the wrong type or range. The message names the function and the option, lists the valid names and
 * suggests the nearest; the same facts are on {@link OptionError.problem}.
 *
 * @example
 * ```ts
 * try { grad(f, { checkfinite: true }); }
 * catch (e) { if (e instanceof OptionError) console.log(e.problem.suggestion); } // 'checkFinite'
 * ```
 */
export class OptionError extends DualtapeError {
  /** The structured facts behind the message (`null` when thrown by hand with a message only). */
  readonly problem: OptionProblem | null;

  constructor(message: string, problem: OptionProblem | null = null) {
    super(message);
    this.problem = problem;
  }
}

/**
 * Builds the error {@link checkOptions} throws, so each package can throw its own error class (a
 * subclass of its error base) with the shared message.
 *
 * @example
 * ```ts
 * const makeError: OptionErrorFactory = (message, problem) => new MyPackageOptionError(message, problem);
 * ```
 */
export type OptionErrorFactory = (message: string, problem: OptionProblem) => Error;

/**
 * How one option's value is checked: `expected` says in words what is accepted (it goes into the
 * message), `accepts` decides. `undefined` always means "use the default" and is never passed here.
 *
 * @example
 * ```ts
 * const positiveOdd: OptionRule = { expected: 'an odd integer > 0', accepts: (v) => Number.isInteger(v) && (v as number) % 2 === 1 };
 * ```
 */
export interface OptionRule {
  readonly expected: string;
  accepts(value: unknown): boolean;
}

/**
 * One rule for every option of `O`: the type makes a spec complete, so adding an option to an
 * interface without adding its check is a compile error.
 *
 * @example
 * ```ts
 * interface SolveOptions { tolerance?: number; maxIterations?: number }
 * const SOLVE_OPTIONS: OptionsSpec<SolveOptions> = {
 *   tolerance: option.number({ min: 0 }),
 *   maxIterations: option.integer({ min: 0 }),
 * };
 * ```
 */
export type OptionsSpec<O> = { readonly [K in keyof Required<O>]: OptionRule };

/**
 * Bounds for {@link option.number}: `min`/`max` inclusive, `above`/`below` exclusive.
 *
 * @example
 * ```ts
 * const probability: NumberBounds = { min: 0, max: 1 };
 * ```
 */
export interface NumberBounds {
  readonly min?: number;
  readonly max?: number;
  readonly above?: number;
  readonly below?: number;
}

function boundsText(b: NumberBounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`≥ ${b.min}`);
  if (b.above !== undefined) parts.push(`> ${b.above}`);
  if (b.max !== undefined) parts.push(`≤ ${b.max}`);
  if (b.below !== undefined) parts.push(`< ${b.below}`);
  return parts.length === 0 ? '' : ` ${parts.join(' and ')}`;
}

function inBounds(x: number, b: NumberBounds): boolean {
  return (
    (b.min === undefined || x >= b.min) &&
    (b.max === undefined || x <= b.max) &&
    (b.above === undefined || x > b.above) &&
    (b.below === undefined || x < b.below)
  );
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Ready-made {@link OptionRule}s. Numbers must be finite (NaN and ±Infinity are never a sensible
 * tolerance, step or count).
 *
 * @example
 * ```ts
 * const spec = {
 *   maxIterations: option.integer({ min: 0 }),
 *   tolerance: option.number({ min: 0 }),
 *   learningRate: option.oneOf(option.number({ above: 0 }), option.function()),
 *   method: option.literal('newton-cg', 'gradient-descent'),
 *   onIteration: option.function(),
 * };
 * ```
 */
export const option = {
  /** A finite number within the bounds. */
  number(bounds: NumberBounds = {}): OptionRule {
    return { expected: `a finite number${boundsText(bounds)}`, accepts: (v) => isFiniteNumber(v) && inBounds(v, bounds) };
  },
  /** An integer within the bounds. */
  integer(bounds: NumberBounds = {}): OptionRule {
    return { expected: `an integer${boundsText(bounds)}`, accepts: (v) => Number.isInteger(v) && inBounds(v as number, bounds) };
  },
  /** `true` or `false`. */
  boolean(): OptionRule {
    return { expected: 'true or false', accepts: (v) => typeof v === 'boolean' };
  },
  /** Any string. */
  string(): OptionRule {
    return { expected: 'a string', accepts: (v) => typeof v === 'string' };
  },
  /** A function (callbacks, operators). */
  function(): OptionRule {
    return { expected: 'a function', accepts: (v) => typeof v === 'function' };
  },
  /** One of the listed values, compared with `===`. */
  literal(...values: readonly (string | number | boolean)[]): OptionRule {
    return {
      expected: `one of ${values.map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ')}`,
      accepts: (v) => values.includes(v as string | number | boolean),
    };
  },
  /**
   * A `Float64Array`. Its length and entries are the function's own checks, which can name the
   * offending index and the length it needs.
   */
  float64Array(): OptionRule {
    return { expected: 'a Float64Array', accepts: (v) => v instanceof Float64Array };
  },
  /** Either of several rules. */
  oneOf(...rules: readonly OptionRule[]): OptionRule {
    return { expected: rules.map((r) => r.expected).join(' or '), accepts: (v) => rules.some((r) => r.accepts(v)) };
  },
} as const;

/**
 * Describes a value for a message: numbers and strings as written, anything else by its kind, so
 * `X[0]`-style confusion (an array printed as its first element) cannot happen.
 *
 * @example
 * ```ts
 * describeValue(NaN);                   // 'NaN'
 * describeValue('fast');                // "'fast'"
 * describeValue(new Float64Array(3));   // 'a Float64Array of length 3'
 * ```
 */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'undefined';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return `'${v}'`;
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return `${v}n (a bigint)`;
  if (typeof v === 'function') return 'a function';
  if (typeof v === 'symbol') return 'a symbol';
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (ArrayBuffer.isView(v)) return `a ${v.constructor.name}${'length' in v ? ` of length ${String(v.length)}` : ''}`;
  const cls = Object.getPrototypeOf(v)?.constructor?.name;
  // A node where a number or an array belongs (an index, a size, a mask): say it is a node.
  if (cls === 'Scalar') return 'a scalar node';
  if (cls === 'Tensor') return 'a tensor node';
  return cls && cls !== 'Object' ? `an object of class ${cls}` : 'an object';
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours
 * each cost 1 (a swap is the commonest typo, `maxItre`).
 */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[(i - 1) * cols + j] + 1, d[i * cols + j - 1] + 1, d[(i - 1) * cols + j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/** A name's English singular: `entries` → `entry`, `lanes` → `lane` (so `maxEntry` finds `maxEntries`). */
function singular(name: string): string {
  if (name.endsWith('ies')) return `${name.slice(0, -3)}y`;
  return name.endsWith('s') && !name.endsWith('ss') ? name.slice(0, -1) : name;
}

/** True when every letter of `short` appears in `long` in order, starting at the same letter. */
function abbreviates(short: string, long: string): boolean {
  if (short.length < 2 || short.length >= long.length || short[0] !== long[0]) return false;
  let k = 0;
  for (let i = 0; i < long.length && k < short.length; i++) if (long[i] === short[k]) k++;
  return k === short.length;
}

/**
 * The valid name a mistaken key most likely meant, or `null`. Case is ignored. In order: the same name
 * in another case (`checkfinite`); the same name in the singular or plural (`maxEntry` →
 * `maxEntries`); a name the key abbreviates (`maxIter` → `maxIterations`, `tol` → `tolerance`, `lr` →
 * `learningRate`), shortest first; the name at the smallest edit distance, if that
 * distance is at most a third of the key's length (at least 1).
 *
 * @example
 * ```ts
 * nearestName('maxIter', ['tolerance', 'maxIterations']); // 'maxIterations'
 * nearestName('seed', ['tolerance', 'maxIterations']);    // null
 * ```
 */
export function nearestName(key: string, names: readonly string[]): string | null {
  if (typeof key !== 'string' || !Array.isArray(names) || names.some((n) => typeof n !== 'string')) {
    throw new ArgumentError(`nearestName: expected a key and an array of names (strings), got ${describeValue(key)} and ${describeValue(names)}`);
  }
  const k = key.toLowerCase();
  const lower = names.map((n) => n.toLowerCase());
  const same = lower.indexOf(k);
  if (same >= 0) return names[same];
  const plural = lower.findIndex((n) => singular(n) === singular(k));
  if (plural >= 0) return names[plural];
  let best: string | null = null;
  names.forEach((n, i) => {
    if (abbreviates(k, lower[i]) && (best === null || n.length < best.length)) best = n;
  });
  if (best !== null) return best;
  const limit = Math.max(1, Math.floor(k.length / 3));
  let bestDistance = Infinity;
  names.forEach((n, i) => {
    const d = editDistance(k, lower[i]);
    if (d <= limit && d < bestDistance) {
      bestDistance = d;
      best = n;
    }
  });
  return best;
}

/**
 * Objects that hold data rather than named settings: read as options they would have no keys of their
 * own to check, so every setting would silently keep its default (a data vector passed in the options slot).
 */
function isDataObject(v: object): boolean {
  return ArrayBuffer.isView(v) || v instanceof Map || v instanceof Set || v instanceof Date || v instanceof RegExp || v instanceof Promise;
}

const defaultError: OptionErrorFactory = (message, problem) => new OptionError(message, problem);

/**
 * Validates an options argument against its spec and returns it (`{}` when it was `undefined`).
 *
 * - `undefined` options, and keys whose value is `undefined`, mean "all defaults" / "this default".
 * - `null`, an array, or any non-object → error of kind `'not-an-object'`.
 * - a key the spec does not declare → `'unknown-option'`, with the valid names and the nearest one.
 * - a value its rule rejects → `'invalid-value'`, naming what was expected and what was given.
 *
 * Checks that relate two options or depend on other arguments (a radius bound by another radius, a
 * count bound by the problem size) stay with the function.
 *
 * @param fn The public function's name, used in the message.
 * @param makeError Builds the thrown error; defaults to {@link OptionError}. Packages pass their own
 *   subclass so that their callers can catch one base class.
 * @example
 * ```ts
 * const SPEC: OptionsSpec<{ tolerance?: number }> = { tolerance: option.number({ min: 0 }) };
 * checkOptions('solve', { tolernce: 1e-6 }, SPEC);
 * // OptionError: solve: unknown option 'tolernce'; did you mean 'tolerance'? Valid options: tolerance
 * ```
 */
export function checkOptions<O extends object>(
  fn: string,
  options: O | undefined,
  spec: OptionsSpec<O>,
  makeError: OptionErrorFactory = defaultError,
): O {
  if (typeof fn !== 'string' || typeof spec !== 'object' || spec === null) {
    throw new ArgumentError(`checkOptions: expected (fn: string, options, spec: an object of option rules), got ${describeValue(fn)} and ${describeValue(spec)}`);
  }
  // Nothing else is done for a call without options (every transform call passes here).
  if (options === undefined) return {} as O;
  const validNames = Object.keys(spec);
  const valid = () => `Valid options: ${validNames.length === 0 ? '(none)' : validNames.join(', ')}`;
  const fail = (message: string, problem: Omit<OptionProblem, 'fn' | 'validNames'>): never => {
    throw makeError(`${fn}: ${message}`, { fn, validNames, ...problem });
  };
  if (typeof options !== 'object' || options === null || Array.isArray(options) || isDataObject(options)) {
    return fail(`options must be an object (or left out), got ${describeValue(options)}. ${valid()}`, {
      kind: 'not-an-object', option: null, value: options, suggestion: null, expected: null,
    });
  }
  const rules = spec as Record<string, OptionRule>;
  const given = options as Record<string, unknown>;
  for (const key of Object.keys(given)) {
    if (!Object.prototype.hasOwnProperty.call(rules, key)) {
      const suggestion = nearestName(key, validNames);
      const hint = suggestion === null ? '.' : `; did you mean '${suggestion}'?`;
      fail(`unknown option '${key}'${hint} ${valid()}`, {
        kind: 'unknown-option', option: key, value: given[key], suggestion, expected: null,
      });
    }
  }
  for (const key of validNames) {
    const value = given[key];
    if (value === undefined) continue;
    const rule: unknown = rules[key];
    if (typeof rule !== 'object' || rule === null || typeof (rule as OptionRule).accepts !== 'function') {
      throw new ArgumentError(`checkOptions: the spec's rule for '${key}' is ${describeValue(rule)}; build rules with option.number(), option.boolean(), …`);
    }
    if (!rules[key].accepts(value)) {
      fail(`option '${key}' must be ${rules[key].expected}, got ${describeValue(value)}`, {
        kind: 'invalid-value', option: key, value, suggestion: null, expected: rules[key].expected,
      });
    }
  }
  return options;
}
