/**
 * The flattened form of a fused elementwise expression (fusion.ts builds it), shared by the loops
 * made from it: fusion.ts's JavaScript loop and interpreter, and wasm-loops.ts's WebAssembly.
 * @module
 */

/**
 * An elementwise operation of a lazy expression. `'tile'` repeats an array `a` of length P (dividing
 * n) n/P times: a broadcast along leading axes (a bias added to every row), read in place by the loop
 * instead of written out at full length.
 */
export type Kind = '+' | '-' | '*' | '/' | 'neg' | 'f1' | 'f2' | 'tile';

/**
 * An expression flattened: its nodes in evaluation order as numbers, and the inputs the loop reads.
 * `steps` holds four numbers per node — kind, operand a, operand b, function index — with operands
 * encoded as REF_ARRAY/REF_NUMBER/REF_TEMP plus 3·index (or REF_ZERO). The steps alone decide the
 * loop, so they are the cache key: found without building any code text.
 */
export interface Plan {
  readonly steps: number[];
  readonly arrays: Float64Array[];
  readonly numbers: number[];
  readonly fns: Array<(u: number, v: number) => number>;
  /** The operand that is each root's result (a temp, or an array/number when a root folds to one). */
  readonly results: number[];
  /** The length of the tiled arrays (the inner loop of a plan with 'tile' steps), else n. */
  readonly period: number;
}

/** Operand encodings: 3·index plus the kind of operand (REF_ZERO alone: the number 0). */
export const REF_ARRAY = 0, REF_NUMBER = 1, REF_TEMP = 2, REF_ZERO = -1;
/** Step kinds by code, and codes by kind. */
export const KINDS: Kind[] = ['+', '-', '*', '/', 'neg', 'f1', 'f2', 'tile'];
export const KIND_CODE: Record<Kind, number> = { '+': 0, '-': 1, '*': 2, '/': 3, neg: 4, f1: 5, f2: 6, tile: 7 };
