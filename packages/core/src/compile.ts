/**
 * Record once, replay many. `compile(f, x0)` records f once at x0 and returns a program that computes
 * f, ∇f and H·v at new points and directions by replaying the recorded tape — each op's primal rule
 * forward, its tangent rule forward, its dual backward rule in reverse — without calling f again.
 * ADOL-C's tapes and CppAD's ADFun do this for C++.
 *
 * A replay is valid while f would take the same path. Ops with kinks or steps (relu, abs, maximum,
 * floor, max reductions, …) record which branch they took; a replay that sees another branch is
 * reported and, by default, re-records f at the new point (`onBranchChange: 'rerecord'`), or raises
 * {@link BranchChangeError} (`'throw'`). What f decides in plain JavaScript — an `if` on `x.value`, a
 * mask built from values — cannot be watched: it is frozen at record time (express it with `where`
 * and the ops instead, see the guide).
 * @module
 */
import { ArgumentError, DualtapeError, NestedTransformError, StaleNodeError, StructureError } from './errors.js';
import { assertFiniteAdjoints, assertFiniteForward, assertFiniteLeaves } from './finite-checks.js';
import { Scalar, Tensor, isNode } from './node.js';
import { checkOptions, describeValue, option, type OptionsSpec } from './options.js';
import { assertSameStructure, flatten, leafNumbers, leafSize, leavesOf, mapLeaves, nestedShape, plainlySameStructure, structureCopy, unflatten, unflattenShaped, type Pytree, type ValueTree } from './pytree.js';
import { checkFunction, direction, record, scalarOutput, scalarValued, type Recording, type TransformOptions } from './recording.js';
import { CONSTANT, LEAF, ruleOf, type Tape } from './tape.js';
import { generatePass, type DirectionLanes, type GeneratedPass, type Pass } from './replay/scalar-sweeps.js';
import type { Differentiable, HvpOperator } from './transforms.js';
import { noExtraArguments } from './arity.js';

/**
 * A compiled replay met a branch the recording did not take, and the program was made with
 * `{ onBranchChange: 'throw' }`. Ops that choose by value report their choice from the new values
 * after each replay's forward pass: relu's, leakyRelu's and elu's side of 0, abs's and sign's sign,
 * maximum's and minimum's winner (clip's too), floor's, ceil's and round's integer, the winning
 * elements of max and min (and a tie made or broken), max pooling's window maxima, the sign of det A
 * under slogdet and logDet, a `where` mask that is a node of the tape, the order under sort and
 * topK, the indices argmax, argmin, argsort and searchSorted returned (plain arrays, watched by a guard) and
 * interp's segments. With the default
 * `'rerecord'` the program records f again at that point instead. The program stays usable: a later
 * call at a point on the recorded branches replays as before.
 *
 * @example
 * ```ts
 * const program = compile((x: Scalar) => x.relu().square(), 1, { onBranchChange: 'throw' });
 * program.valueAndGrad(3).grad; // 6
 * let error: unknown;
 * try {
 *   program.valueAndGrad(-1); // relu is on its other side at −1
 * } catch (e) {
 *   error = e;
 * }
 * error instanceof BranchChangeError; // true
 * ```
 */
export class BranchChangeError extends DualtapeError {}

/**
 * Options of {@link compile}: the transforms' own (`checkFinite`, `maxNodes`, applied to the recording
 * and to every replay) and what to do when a replay crosses a kink. With `checkFinite` a replay runs
 * the rules themselves instead of the generated scalar sweeps (they carry the checks): same numbers,
 * slower.
 *
 * @example
 * ```ts
 * const program = compile((x: Tensor) => x.abs().sum(), [1, -2], { onBranchChange: 'throw', checkFinite: true });
 * program.valueAndGrad([3, -4]).grad; // [1, -1]
 * ```
 */
export interface CompileOptions extends TransformOptions {
  /**
   * What a replay does when an op takes another branch than when f was recorded: `'rerecord'`
   * (default) records f again at the new point and goes on (the program's `rerecords` counts it);
   * `'throw'` raises {@link BranchChangeError}.
   */
  readonly onBranchChange?: 'rerecord' | 'throw';
}

const COMPILE_OPTIONS: OptionsSpec<CompileOptions> = {
  checkFinite: option.boolean(),
  maxNodes: option.integer({ min: 1 }),
  onBranchChange: option.literal('rerecord', 'throw'),
};

/**
 * f and ∇f at a point, from a compiled program ({@link Program.gradAndHvp} adds H·v). ∇f is shaped
 * like x: a number, a Float64Array, or an object of them.
 *
 * @example
 * ```ts
 * const { value, grad }: ProgramResult<number[]> = compile((x: Tensor) => x.square().sum(), [0, 0]).valueAndGrad([1, 2]);
 * value; // 5
 * grad; // [2, 4]
 * ```
 */
export interface ProgramResult<T> {
  /** f(x). */
  readonly value: number;
  /** ∇f(x), shaped like x. */
  readonly grad: ValueTree<T>;
}

/**
 * A recorded function, replayed at new points; see {@link compile}. Every method takes the point x
 * (and directions) of the structure of x0 — or, in the flat forms, Float64Arrays over the flattened
 * parameters ({@link flatten} order) — and returns what the transform of the same name returns at x,
 * bit for bit, without calling f.
 *
 * @example
 * ```ts
 * const f = (x: Tensor) => x.square().sum().mul(0.5).add(x.at(0).mul(x.at(1)));
 * const program: Program<number[]> = compile(f, [0, 0]);
 * program.value([1, 2]); // 4.5
 * program.grad([1, 2]); // [3, 3]
 * program.hvp([1, 2], [1, 0]); // [1, 1]
 * const grad = new Float64Array(2), hvp = new Float64Array(2);
 * program.gradAndHvpFlat(Float64Array.of(3, 4), Float64Array.of(0, 1), grad, hvp); // 24.5
 * grad; // [7, 7]
 * hvp; // [1, 1]
 * program.hvpMany([1, 2], Float64Array.of(1, 0, 0, 2)); // [1, 1, 2, 2]: H·e₀, then H·(2e₁)
 * program.hessian([1, 2]); // [1, 1, 1, 1]
 * ```
 */
export interface Program<T extends Pytree> {
  /** f(x): one forward replay, no sweep (JAX's `jit(f)(x)`). */
  value(x: T): number;
  /** ∇f(x), shaped like x, as `grad(f)(x)`. */
  grad(x: T): ValueTree<T>;
  /** f(x) and ∇f(x), as `valueAndGrad(f)(x)`. */
  valueAndGrad(x: T): ProgramResult<T>;
  /** f(x), ∇f(x) and H(x)·v in one forward and one reverse pass, as `gradAndHvp(f, x, v)`. */
  gradAndHvp(x: T, v: Pytree): ProgramResult<T> & { readonly hvp: ValueTree<T> };
  /** H(x)·v, as `hvp(f, x, v)`. */
  hvp(x: T, v: Pytree): ValueTree<T>;
  /**
   * H(x)·vⱼ for the k directions of V (k×n row-major over the flattened parameters); k×n as well, each
   * row bit for bit what {@link Program.hvp} gives for that direction. On a graph of scalar nodes
   * (scalar ops, and elements read from leaf tensors with `at`) the directions travel together, up to
   * 8 at a time, as k tangent lanes: one forward and one reverse replay compute f and ∇f once and the
   * tangent and R-adjoint parts of every rule once per direction, in the same loop. A graph with
   * tensor nodes replays once per direction instead (same numbers). Memory: the program keeps two lanes
   * of k ≤ 8 numbers per node (16·k bytes per node) for its next calls.
   */
  hvpMany(x: T, V: Float64Array): Float64Array;
  /**
   * The full Hessian H(x) over the flattened parameters, n×n row-major, as `hessian(f, x)`: the
   * products H·eⱼ, carried in blocks of tangent lanes as in {@link Program.hvpMany}.
   */
  hessian(x: T): Float64Array;
  /**
   * An operator applying H(x) to directions: f and ∇f are swept once, each `apply` pays for the
   * tangent lanes only. It is valid until the program's next call (it shares the program's tape);
   * after that, `apply` throws {@link StaleNodeError}.
   */
  hvpOperator(x: T): HvpOperator<T>;
  /**
   * f(x), with ∇f(x) written into `gradOut` (a new array if left out): for solvers. With `gradOut`
   * given, a call allocates nothing for a scalar graph.
   */
  valueAndGradFlat(x: Float64Array, gradOut?: Float64Array): number;
  /** f(x), with ∇f(x) written into `gradOut` and H(x)·v into `hvpOut` (new arrays if left out; two separate ones: memory they share is an {@link ArgumentError}). */
  gradAndHvpFlat(x: Float64Array, v: Float64Array, gradOut?: Float64Array, hvpOut?: Float64Array): number;
  /** Nodes on the recorded tape (the size of a replay's work on a scalar graph). */
  readonly nodes: number;
  /** How many times a branch change made the program record f again (always 0 with `'throw'`). */
  readonly rerecords: number;
}

/**
 * Records f at x0 once and returns a {@link Program} that replays it at new points: f, ∇f and H·v
 * (`valueAndGrad`, `gradAndHvp`, `hvp`, `hvpMany`, `hessian`, `hvpOperator`, and flat forms for
 * solvers), the same numbers, bit for bit, as the transforms at that point, without running f again.
 * A replay runs each recorded op's primal and tangent rules forward and its dual backward rule in
 * reverse; scalar nodes go through sweeps generated from those rules, so a scalar graph replays
 * several times faster than it records. `hvpMany` and `hessian` carry up to 8 directions as tangent
 * lanes of one forward and one reverse replay (f and ∇f once, the tangent parts per direction) on a
 * scalar graph; a graph with tensor nodes replays once per direction. It pays where f is evaluated
 * many times with one structure: optimizers, Newton–CG, many H·v at a point.
 *
 * x0 fixes the structure (the pytree, every shape) and the path f takes. Ops that choose by value
 * (relu, abs, maximum, max, floor, …) are watched: a replay that crosses a kink records f again there
 * (or throws {@link BranchChangeError}, see {@link CompileOptions}); so are the indices argmax, argmin,
 * argsort and searchSorted return (and interp's segments). A decision made in JavaScript — `if (x.value > 0)`, a mask built from
 * `.value` — is frozen at x0 and cannot be noticed: write it with the ops instead (`relu`, `maximum`, `abs`, `clip`, `sign`; guide page 8,
 * "Record once, replay many").
 *
 * Call it at top level (inside another transform it is an {@link ArgumentError}); f must return a
 * scalar ({@link OutputError}); a point of another structure is a {@link StructureError}, and so is a
 * leaf in another shape (a 2×2 matrix where x0 had a vector of 4, or the transpose of x0's 2×3 matrix).
 * A matrix leaf may also come flat, its numbers in row-major order (as results come back), and is
 * read in x0's shape; a branch change records f again with the matrix shape. A failed re-recording
 * (f throws there) leaves the program as it was. The program keeps its tape, and so its memory, alive.
 *
 * @example
 * ```ts
 * const rosenbrock = (x: Tensor) => x.at(0).neg().add(1).square().add(x.at(1).sub(x.at(0).square()).square().mul(100));
 * const program = compile(rosenbrock, [0, 0]); // f runs here, once
 * program.gradAndHvp([1, 1], [1, 0]).hvp; // [802, -400]
 * program.valueAndGrad([-1, 1]).value; // 4
 * ```
 */
export function compile<T extends Pytree>(f: Differentiable<T>, x0: T, options: CompileOptions = {}): Program<Widen<T>> {
  noExtraArguments('compile', arguments, 3, 'compile(f, x0, options)');
  checkFunction('compile', f);
  const checked = checkOptions('compile', options, COMPILE_OPTIONS);
  const { onBranchChange = 'rerecord', ...recordOptions } = checked;
  return new CompiledProgram(f as (x: never) => unknown, x0 as Widen<T>, recordOptions, onBranchChange);
}

/**
 * A literal type widened (x0 = 1 records a program of any number, not of the number 1).
 *
 * @example
 * ```ts
 * compile((x: Scalar) => x.square(), 1).valueAndGrad(3).grad; // 6: x0 = 1 types a program of any number
 * ```
 */
export type Widen<T> = T extends number ? number : T;

class CompiledProgram<T extends Pytree> implements Program<T> {
  private rec!: Recording;
  private tape!: Tape;
  private size = 0;
  /** The branch each branching node took when recorded. */
  private branches = new Map<number, number | Float64Array>();
  /** Bumped by every call, so an hvpOperator made by an earlier call can tell it is stale. */
  private calls = 0;
  /** The sweeps generated for this tape (replay/scalar-sweeps.ts), by pass; null where not possible. */
  private passes = new Map<Pass, GeneratedPass | null>();
  /** Sweeps over k tangent lanes and their lanes, by k; null where the tape needs the rules themselves. */
  private laneStates = new Map<number, LaneState | null>();
  rerecords = 0;

  /** x0's structure as it was recorded: a caller may reuse the object (and resize it) for later points. */
  private readonly like: T;

  constructor(
    private readonly f: (x: never) => unknown,
    x0: T,
    private readonly options: TransformOptions,
    private readonly onBranchChange: 'rerecord' | 'throw',
  ) {
    this.recordAt(x0);
    this.like = structureCopy(x0);
  }

  get nodes(): number {
    return this.tape.length;
  }

  /**
   * Records f at x, keeping the tape alive for replays (no node may be recorded on it afterwards).
   * The old tape is released only once the new recording stands: if f throws there (an error of its
   * own, a FiniteError, a budget), the program keeps its recording and stays usable.
   */
  private recordAt(x: Pytree): void {
    const rec = record('compile', scalarValued(this.f), x, null, this.options, true);
    if (rec.nested) throw new ArgumentError('compile: call it at top level; inside another transform, call the transforms directly');
    const tape = rec.tape;
    try {
      scalarOutput(rec);
      for (let i = 0; i < tape.length; i++) {
        const code = tape.op[i];
        if (code === LEAF || code === CONSTANT) continue;
        const rule = ruleOf(code);
        if (!rule.primal) {
          throw new ArgumentError(`compile: the op '${rule.name}' cannot be replayed (it has no primal rule yet); use the transforms directly`);
        }
      }
    } catch (e) {
      tape.release();
      throw e;
    }
    tape.finished = true;
    if (this.tape) this.tape.release();
    this.rec = rec;
    this.tape = tape;
    this.passes.clear();
    this.laneStates.clear();
    this.size = rec.leaves.reduce((n, leaf) => n + (leaf instanceof Scalar ? 1 : leaf.size), 0);
    this.branches = this.branchesNow();
  }

  private branchesNow(): Map<number, number | Float64Array> {
    const { tape } = this;
    const out = new Map<number, number | Float64Array>();
    for (let i = 0; i < tape.length; i++) {
      const rule = ruleOf(tape.op[i]);
      if (rule.branch) out.set(i, rule.branch(tape, i));
    }
    return out;
  }

  /**
   * A pass generated from the rules (scalar nodes as a switch of straight-line code), unless strict
   * mode asks for the rules' own value checks.
   */
  private pass(pass: Pass): GeneratedPass | null {
    if (this.options.checkFinite) return null;
    if (!this.passes.has(pass)) this.passes.set(pass, generatePass(this.tape, pass));
    return this.passes.get(pass)!;
  }

  /**
   * The primal sweep at flat x (with the tangents when `v` is given, in the same pass); records f
   * again (or throws) when a branch changes.
   */
  private replay(x: Numbers, asTree: () => Pytree, v: Numbers | null = null): void {
    this.calls++;
    this.setLeaves(x);
    if (v) this.setDirections(v);
    const { tape } = this;
    const o = tape.o;
    const generated = this.pass(v ? 'forwardTangent' : 'forward');
    if (generated) generated.run(tape);
    else if (v) tape.forwardValuesAndTangents();
    else {
      for (let i = 0; i < tape.length; i++) {
        const code = tape.op[i];
        if (code !== LEAF && code !== CONSTANT) ruleOf(code).primal!(o, tape, i);
      }
    }
    if (!this.sameBranches()) {
      this.branchChanged(asTree);
      if (v) {
        this.setDirections(v);
        this.tape.forwardTangents();
      }
      return;
    }
    if (this.options.checkFinite) assertFiniteForward('compile', tape);
  }

  /** A replay crossed a kink: throws, or records f again at the point (per `onBranchChange`). */
  private branchChanged(asTree: () => Pytree): void {
    if (this.onBranchChange === 'throw') {
      throw new BranchChangeError(
        'compile: at this point an op takes another branch than when f was recorded (a kink such as relu, abs or ' +
          "maximum crossed); call with { onBranchChange: 'rerecord' } to record f again there, or use the transforms directly",
      );
    }
    this.rerecords++;
    this.recordAt(asTree());
  }

  private sameBranches(): boolean {
    const { tape } = this;
    for (const [i, taken] of this.branches) {
      const now = ruleOf(tape.op[i]).branch!(tape, i);
      // A number and an array never match (an op may say 0 for "nothing special" and list cases otherwise).
      if (typeof taken === 'number' || typeof now === 'number'
        ? taken !== now && !(taken !== taken && now !== now)
        : !sameNumbers(taken, now)) return false;
    }
    return true;
  }

  private setLeaves(x: Numbers): void {
    const { tape } = this;
    const values = this.perLeaf(x, 'x');
    if (this.options.checkFinite) this.assertFinite(values, 'x');
    this.rec.leaves.forEach((leaf, k) => {
      if (leaf instanceof Scalar) tape.vals[leaf.id] = values[k][0];
      // In place: the tape owns this array (recording copied x), and no result refers to it.
      else copyInto((leaf as Tensor).data, values[k]);
    });
  }

  private setDirections(v: Numbers): void {
    const { tape } = this;
    const values = this.perLeaf(v, 'v');
    if (this.options.checkFinite) this.assertFinite(values, 'v');
    this.rec.leaves.forEach((leaf, k) => {
      if (leaf instanceof Scalar) tape.dots[leaf.id] = values[k][0];
      else {
        // In place when there is one: nodes sharing it recompute their tangents in the same sweep.
        const t = leaf as Tensor;
        copyInto(t.dataDot ?? (t.dataDot = new Float64Array(t.size)), values[k]);
      }
    });
  }

  /** With checkFinite: a NaN or ±Infinity in x or v named by its path, as the transforms name it. */
  private assertFinite(values: ReadonlyArray<ArrayLike<number>>, what: 'x' | 'v'): void {
    const paths = leavesOf(this.like, '').map((leaf) => leaf.path);
    assertFiniteLeaves('compile', what, paths, this.rec.leaves.map((leaf) => leaf instanceof Scalar), values);
  }

  /** x or v as one array per leaf: a tree's leaves as they are, a flat vector cut into views. */
  private perLeaf(x: Numbers, what: 'x' | 'v'): ReadonlyArray<ArrayLike<number>> {
    if (x instanceof PerLeaf) return x.leaves;
    checkFlatNumbers(x, what);
    if (x.length !== this.size) {
      throw new StructureError(what === 'x'
        ? `compile: x has ${x.length} numbers but the program was recorded with ${this.size}`
        : `compile: v has ${x.length} numbers but x has ${this.size}`);
    }
    let at = 0;
    return this.rec.leaves.map((leaf) => {
      const n = leaf instanceof Scalar ? 1 : leaf.size;
      at += n;
      return x instanceof Float64Array ? x.subarray(at - n, at) : Array.prototype.slice.call(x, at - n, at) as number[];
    });
  }

  /** The reverse sweep from the output, filling the lanes asked for. */
  private sweep(bar: boolean, barDot: boolean): void {
    const { tape } = this;
    tape.clearAdjoints(bar, barDot);
    tape.sweepBar = bar;
    tape.sweepBarDot = barDot;
    // f returned a constant (no node): every adjoint stays zero, as in the transforms.
    if (this.rec.output === null) return;
    if (bar) tape.addBar(this.rec.output.id, 1);
    const generated = this.pass(bar && barDot ? 'reverseBoth' : bar ? 'reverseBar' : 'reverseBarDot');
    if (generated) generated.run(tape);
    else tape.reverse();
    if (this.options.checkFinite) assertFiniteAdjoints('compile', tape);
  }

  private valueNow(): number {
    const out = this.rec.output;
    return out === null ? (this.rec.constantValue as number) : this.tape.vals[out.id];
  }

  private collectFlat(lane: 'bar' | 'barDot', out: Float64Array): Float64Array {
    const { tape } = this;
    let at = 0;
    for (const leaf of this.rec.leaves) {
      if (leaf instanceof Scalar) out[at++] = lane === 'bar' ? tape.bars[leaf.id] : tape.barDots[leaf.id];
      else {
        const values = (leaf as Tensor)[lane];
        if (values) out.set(values, at);
        else out.fill(0, at, at + leaf.size);
        at += leaf.size;
      }
    }
    return out;
  }

  private flatOf(x: T, what: string): Float64Array {
    if (!plainlySameStructure(this.like, x)) assertSameStructure(this.like, x, what, RECORDED, RECORDED_NOTE);
    refuseNodes(leavesOf(x, what));
    return flatten(x);
  }

  /** A tree like x as its leaves' numbers, read in place: no flat copy on the way in. */
  private leavesOf(x: Pytree, what: string): PerLeaf {
    if (!plainlySameStructure(this.like, x)) assertSameStructure(this.like, x, what, RECORDED, RECORDED_NOTE);
    const leaves = leavesOf(x, what);
    refuseNodes(leaves);
    return new PerLeaf(leaves.map((leaf) => leafNumbers(leaf.value)));
  }

  /**
   * The point to record f at again: x0's structure holding flat x, every leaf in x0's shape (a
   * matrix as nested arrays). A point may give a matrix leaf flat, and f must see the matrix.
   */
  private shaped(x: ArrayLike<number>): Pytree {
    return unflattenShaped(this.like, x);
  }

  /**
   * A lane of the leaves as a tree like x. Each leaf's array is handed over, not copied: a lane is
   * the tape's own array (taken fresh or copied when added, Tape.addTensorBar), every sweep that fills
   * the lane starts from none (Tape.clearAdjoints), and nothing reads a leaf's lane after its sweep
   * but this; the leaf lets go of it, so the caller's array is never the program's again.
   */
  private laneTree(lane: 'bar' | 'barDot'): ValueTree<T> {
    const { tape } = this;
    const leaves = this.rec.leaves;
    let k = 0;
    return mapLeaves(this.like, () => {
      const leaf = leaves[k++];
      if (leaf instanceof Scalar) return lane === 'bar' ? tape.bars[leaf.id] : tape.barDots[leaf.id];
      const t = leaf as Tensor;
      const values = t[lane];
      t[lane] = null;
      return values ?? new Float64Array(leaf.size);
    }) as ValueTree<T>;
  }

  valueAndGradFlat(x: Float64Array, gradOut = new Float64Array(this.size)): number {
    noExtraArguments('compile valueAndGradFlat', arguments, 2, 'program.valueAndGradFlat(x, gradOut)');
    this.replay(x, () => this.shaped(x));
    this.sweep(true, false);
    this.collectFlat('bar', checkOut(gradOut, this.size, 'gradOut'));
    return this.valueNow();
  }

  gradAndHvpFlat(x: Float64Array, v: Float64Array, gradOut = new Float64Array(this.size), hvpOut = new Float64Array(this.size)): number {
    noExtraArguments('compile gradAndHvpFlat', arguments, 4, 'program.gradAndHvpFlat(x, v, gradOut, hvpOut)');
    // Without v the replay would skip the tangents and the sweep read the last call's. Checked here as
    // numbers: a falsy v (0, NaN, '', false) passed direction() and then read as "no v" in replay,
    // returning the previous call's H·v.
    direction('compile gradAndHvpFlat', v);
    checkFlatNumbers(v, 'v');
    // H·v is written after ∇f: into the same memory it would replace ∇f without a word.
    if (sharesMemory(gradOut, hvpOut)) {
      throw new ArgumentError('compile gradAndHvpFlat: gradOut and hvpOut share memory, so H·v would overwrite ∇f; pass two separate arrays');
    }
    this.replay(x, () => this.shaped(x), v);
    this.sweep(true, true);
    this.collectFlat('bar', checkOut(gradOut, this.size, 'gradOut'));
    this.collectFlat('barDot', checkOut(hvpOut, this.size, 'hvpOut'));
    return this.valueNow();
  }

  value(x: T): number {
    noExtraArguments('compile value', arguments, 1, 'program.value(x)');
    this.replay(this.leavesOf(x, 'x'), () => this.shaped(flatten(x)));
    return this.valueNow();
  }

  grad(x: T): ValueTree<T> {
    noExtraArguments('compile grad', arguments, 1, 'program.grad(x)');
    return this.valueAndGrad(x).grad;
  }

  valueAndGrad(x: T): ProgramResult<T> {
    noExtraArguments('compile valueAndGrad', arguments, 1, 'program.valueAndGrad(x)');
    this.replay(this.leavesOf(x, 'x'), () => this.shaped(flatten(x)));
    this.sweep(true, false);
    return { value: this.valueNow(), grad: this.laneTree('bar') };
  }

  gradAndHvp(x: T, v: Pytree): ProgramResult<T> & { hvp: ValueTree<T> } {
    noExtraArguments('compile gradAndHvp', arguments, 2, 'program.gradAndHvp(x, v)');
    const vLeaves = this.leavesOf(direction('compile gradAndHvp', v), 'v');
    this.replay(this.leavesOf(x, 'x'), () => this.shaped(flatten(x)), vLeaves);
    this.sweep(true, true);
    return { value: this.valueNow(), grad: this.laneTree('bar'), hvp: this.laneTree('barDot') };
  }

  hvp(x: T, v: Pytree): ValueTree<T> {
    noExtraArguments('compile hvp', arguments, 2, 'program.hvp(x, v)');
    return this.gradAndHvp(x, v).hvp;
  }

  hvpMany(x: T, V: Float64Array): Float64Array {
    noExtraArguments('compile hvpMany', arguments, 2, 'program.hvpMany(x, V)');
    const n = this.size;
    if (!(V instanceof Float64Array) || (n === 0 ? V.length !== 0 : V.length % n !== 0)) {
      throw new StructureError(`compile hvpMany: V must be a Float64Array of k×${n} numbers (k directions over the flattened parameters)`);
    }
    const k = n === 0 ? 0 : V.length / n;
    const out = new Float64Array(k * n);
    this.hvpDirections(this.flatOf(x, 'x'), () => this.shaped(flatten(x)), k, (from) => ({ rows: V, first: from * n }), (from) => ({ rows: out, first: from * n }));
    return out;
  }

  hessian(x: T): Float64Array {
    noExtraArguments('compile hessian', arguments, 1, 'program.hessian(x)');
    const n = this.size;
    const H = new Float64Array(n * n);
    // A block of rows of the identity at a time, and their products, placed as columns of H.
    const block = new Float64Array(Math.min(n, MAX_LANES) * n), products = new Float64Array(block.length);
    this.hvpDirections(this.flatOf(x, 'x'), () => this.shaped(flatten(x)), n, (from, count) => {
      block.fill(0);
      for (let j = 0; j < count; j++) block[j * n + from + j] = 1;
      return { rows: block, first: 0 };
    }, () => ({ rows: products.fill(0), first: 0 }), (from, count) => {
      for (let j = 0; j < count; j++) for (let i = 0; i < n; i++) H[i * n + from + j] = products[j * n + i];
    });
    return H;
  }

  /**
   * H(x)·vⱼ for k directions. For j = from…from + count − 1, `directions(from, count)` gives vⱼ and
   * `products(from, count)` the zeros where H·vⱼ goes, as consecutive rows of n numbers; `done(from,
   * count)` is told when those are written. In blocks of tangent lanes where the tape allows, else one
   * direction at a time through an operator.
   */
  private hvpDirections(
    x: Float64Array, asTree: () => Pytree, k: number,
    directions: (from: number, count: number) => Rows, products: (from: number, count: number) => Rows,
    done?: (from: number, count: number) => void,
  ): void {
    const n = this.size;
    const first = Math.min(k, MAX_LANES);
    const state = first > 0 ? this.laneState(first) : null;
    if (state === null) {
      const op = this.hvpOperatorFlat(x, asTree);
      for (let j = 0; j < k; j++) {
        const v = directions(j, 1), into = products(j, 1);
        into.rows.set(op(v.rows.subarray(v.first, v.first + n)), into.first);
        done?.(j, 1);
      }
      return;
    }
    this.calls++;
    this.setLeaves(x);
    this.setLaneDirections(state, directions(0, first));
    state.forward.run(this.tape, state.lanes);
    if (!this.sameBranches()) {
      this.branchChanged(asTree);
      // Recorded again at x: the new tape takes the branches of x.
      this.hvpDirections(x, asTree, k, directions, products, done);
      return;
    }
    this.laneSweep(state, true, products(0, first));
    done?.(0, first);
    for (let from = first; from < k; from += MAX_LANES) {
      // Later blocks reuse f and ∇f of the first: only their tangents and R-adjoints are swept.
      const block = this.laneState(Math.min(MAX_LANES, k - from))!;
      this.setLaneDirections(block, directions(from, block.k));
      block.tangent.run(this.tape, block.lanes);
      this.laneSweep(block, false, products(from, block.k));
      done?.(from, block.k);
    }
  }

  /** The generated sweeps over k tangent lanes and the lanes themselves, or null (see generatePass). */
  private laneState(k: number): LaneState | null {
    if (this.options.checkFinite) return null;
    let state = this.laneStates.get(k);
    if (state === undefined) {
      const { tape } = this;
      const forward = generatePass(tape, 'forwardTangent', k);
      const reverse = forward && generatePass(tape, 'reverseBoth', k);
      const tangent = reverse && generatePass(tape, 'tangent', k);
      const reverseBarDot = tangent && generatePass(tape, 'reverseBarDot', k);
      state = null;
      if (reverseBarDot) {
        // Leaf tensors' lanes are their elements' places in the rows of directions and products.
        const offsets = new Int32Array(tape.tensors.length).fill(-1);
        let at = 0;
        for (const leaf of this.rec.leaves) {
          if (!(leaf instanceof Scalar)) offsets[tape.slot[leaf.id]] = at;
          at += leaf instanceof Scalar ? 1 : leaf.size;
        }
        const lanes: DirectionLanes = {
          dots: new Float64Array(tape.length * k), barDots: new Float64Array(tape.length * k), stride: this.size, offsets,
          rows: EMPTY, rowsFirst: 0, out: EMPTY, outFirst: 0,
        };
        state = { k, forward: forward!, reverse: reverse!, tangent, reverseBarDot, lanes, dirty: false };
      }
      this.laneStates.set(k, state);
    }
    return state;
  }

  /** k directions, consecutive rows of n numbers: scalar leaves' into their lanes, leaf tensors' read in place. */
  private setLaneDirections(state: LaneState, { rows, first }: Rows): void {
    const { k, lanes } = state;
    const n = this.size;
    lanes.rows = rows;
    lanes.rowsFirst = first;
    let at = first;
    for (const leaf of this.rec.leaves) {
      if (leaf instanceof Scalar) {
        for (let j = 0; j < k; j++) lanes.dots[leaf.id * k + j] = rows[j * n + at];
        at++;
      } else at += leaf.size;
    }
  }

  /**
   * The reverse sweep over k lanes — ∇f too when `bar` (the first block), else R{ȳ} alone — with the
   * products H·vⱼ added into `into` (zeros), rows of n numbers.
   */
  private laneSweep(state: LaneState, bar: boolean, into: Rows): void {
    const { tape } = this;
    const { lanes, k } = state;
    if (bar) tape.clearAdjoints(true, false);
    // A sweep leaves the R-adjoint lanes zero (see generatePass; the scalar leaves' are zeroed below),
    // unless it was interrupted.
    if (state.dirty) lanes.barDots.fill(0);
    state.dirty = true;
    lanes.out = into.rows;
    lanes.outFirst = into.first;
    // f returned a constant (no node): every adjoint stays zero, as in the transforms.
    if (this.rec.output !== null) {
      if (bar) tape.addBar(this.rec.output.id, 1);
      (bar ? state.reverse : state.reverseBarDot).run(tape, lanes);
    }
    // Leaf tensors' R-adjoints are in place already; the scalar leaves' are copied out.
    const n = this.size;
    let at = into.first;
    for (const leaf of this.rec.leaves) {
      if (leaf instanceof Scalar) {
        for (let j = 0; j < k; j++) {
          into.rows[j * n + at] = lanes.barDots[leaf.id * k + j];
          lanes.barDots[leaf.id * k + j] = 0;
        }
        at++;
      } else at += leaf.size;
    }
    lanes.rows = lanes.out = EMPTY;
    state.dirty = false;
  }

  /**
   * Replays f and ∇f at x and returns H(x)·v for any v (a new array each): valid until the program's
   * next call, after which it throws {@link StaleNodeError}.
   */
  private hvpOperatorFlat(x: Float64Array, asTree: () => Pytree): (v: ArrayLike<number>) => Float64Array {
    this.replay(x, asTree);
    this.sweep(true, false);
    // Later sweeps clear only the R{adjoint} lanes; the adjoints of this point stay.
    const call = this.calls;
    return (v) => {
      if (this.calls !== call) throw new StaleNodeError('compile hvpOperator: the program was called again since this operator was made; make a new one');
      this.setDirections(v);
      const tangent = this.pass('tangent');
      if (tangent) tangent.run(this.tape);
      else this.tape.forwardTangents();
      this.sweep(false, true);
      return this.collectFlat('barDot', new Float64Array(this.size));
    };
  }

  hvpOperator(x: T): HvpOperator<T> {
    const applyFlat = this.hvpOperatorFlat(this.flatOf(x, 'x'), () => this.shaped(flatten(x))) as (v: Float64Array) => Float64Array;
    const grad = unflatten(this.like, this.collectFlat('bar', new Float64Array(this.size)));
    const value = this.valueNow();
    return {
      value, grad, size: this.size,
      applyFlat,
      apply: (v: Pytree) => unflatten(this.like, applyFlat(this.flatOf(direction('hvpOperator.apply', v) as T, 'v'))),
    };
  }
}

/** Directions carried together in one replay at most: more lanes would only add memory traffic. */
const MAX_LANES = 8;

const EMPTY = new Float64Array(0);

/** Directions as consecutive rows of n numbers in `rows`, the first starting at `first`. */
interface Rows {
  readonly rows: Float64Array;
  readonly first: number;
}

/** Sweeps generated over k tangent lanes (k ≤ MAX_LANES), their lanes, and a buffer for one H·v. */
interface LaneState {
  readonly k: number;
  /** Values and k tangents; ∇f and k R-adjoints: the first block of directions. */
  readonly forward: GeneratedPass;
  readonly reverse: GeneratedPass;
  /** Tangents and R-adjoints only: the blocks after it, at the same point. */
  readonly tangent: GeneratedPass;
  readonly reverseBarDot: GeneratedPass;
  readonly lanes: DirectionLanes;
  /** The R-adjoint lanes may hold numbers (a sweep did not finish): clear them before the next. */
  dirty: boolean;
}

/** x or v as one array of numbers per recorded leaf (a tree's leaves, read in place). */
class PerLeaf {
  constructor(readonly leaves: ReadonlyArray<ArrayLike<number>>) {}
}

/** x or v flat (flatten order), or per leaf. */
type Numbers = ArrayLike<number> | PerLeaf;

/** `into` := the numbers of `from` (a block copy when `from` is a Float64Array). */
function copyInto(into: Float64Array, from: ArrayLike<number>): void {
  if (from instanceof Float64Array) into.set(from);
  else for (let k = 0; k < into.length; k++) into[k] = from[k];
}

/**
 * A flat x or v of the Flat forms: a Float64Array, or an array of numbers. Anything else read as
 * numbers would be NaN (strings, holes) or an internal TypeError (null).
 */
function checkFlatNumbers(x: unknown, what: string): void {
  if (x instanceof Float64Array) return;
  if (isNode(x)) refuseNodes([{ path: what, value: x }]);
  const describe = `compile: ${what} must be a Float64Array (or an array of numbers)`;
  if (!Array.isArray(x)) throw new StructureError(`${describe}, got ${describeValue(x)}`);
  for (let k = 0; k < x.length; k++) {
    if (typeof x[k] !== 'number') throw new StructureError(`${describe}; ${what}[${k}] is ${describeValue(x[k])}`);
  }
}

/**
 * A node given to a program in place of numbers. Inside another transform it is that transform's
 * variable, and a program replays numbers and records nothing: no derivative would flow through it,
 * so the way out is the transforms themselves, not the node's .value (a silent zero derivative).
 */
function refuseNodes(leaves: ReadonlyArray<{ readonly path: string; readonly value: unknown }>): void {
  for (const { path, value } of leaves) {
    if (!isNode(value)) continue;
    if (value.tape.finished) throw new StaleNodeError(`compile: ${path} is a node of a finished transform call; give numbers`);
    if (!value.tape.eager) {
      throw new NestedTransformError(
        `compile: ${path} is a node of the transform that is recording, but a program computes on numbers and records nothing, ` +
          'so no derivative would flow through it; inside another transform, call the transforms (grad, hvp, …) on f itself',
      );
    }
    throw new StructureError(`compile: ${path} is a node; a program takes numbers (give its .value)`);
  }
}

/**
 * The name of the point a program was recorded at, in messages about another point's structure: a
 * short root for its paths (x0.w, x0.b), and what it is, said once at the end.
 */
const RECORDED = 'x0';
const RECORDED_NOTE = 'x0 is the point compile recorded f at';

function checkOut(out: Float64Array, size: number, what: string): Float64Array {
  if (!(out instanceof Float64Array) || out.length !== size) {
    throw new StructureError(`compile: ${what} must be a Float64Array of the ${size} parameters`);
  }
  return out;
}

/** Whether two Float64Arrays overlap in one buffer (anything else is left to checkOut). */
function sharesMemory(a: unknown, b: unknown): boolean {
  if (!(a instanceof Float64Array) || !(b instanceof Float64Array) || a.length === 0 || b.length === 0 || a.buffer !== b.buffer) return false;
  return a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

function sameNumbers(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k] && !(a[k] !== a[k] && b[k] !== b[k])) return false;
  return true;
}
