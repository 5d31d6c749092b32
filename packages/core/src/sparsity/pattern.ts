/**
 * The sparsity pattern of a recorded function's Hessian, by nonlinear interaction propagation
 * (A. Walther, "Computing sparse Hessians with automatic differentiation", ACM TOMS 34(1), 2008; the
 * method of ADOL-C): one forward walk over the tape carries, for every element of every node, the
 * set of inputs it depends on, and each nonlinear op records which of those sets it multiplies
 * together. H[p][q] can be nonzero only if some op multiplies something depending on p with
 * something depending on q (or applies a nonlinear function to something depending on both).
 *
 * The walk visits only nodes the output depends on (a backward pass marks them first), so work f
 * does on the side adds nothing. The pattern holds wherever f takes the same path: constants' zeros
 * are used (they are the same at every x), values of nodes that depend on x never are.
 * @module
 */
import type { Node } from '../node.js';
import { reachingOutput } from '../reaching-output.js';
import { LEAF, type Tape } from '../tape.js';
import { ElementGraph } from './element-graph.js';
import { IndexSets } from './index-sets.js';
import { Interactions, type SymmetricPattern } from './interactions.js';
import { sparsityRuleOf, tracksInput } from './op-sparsity.js';
import { Walk } from './walk.js';

/**
 * The pattern of ∂²y/∂x² for output node `output` of `tape`, over the elements of `leaves` in order
 * (flatten order of x): both triangles, rows sorted.
 */
export function hessianPattern(tape: Tape, leaves: readonly Node[], output: number): SymmetricPattern {
  const n = leaves.reduce((total, leaf) => total + (tape.slot[leaf.id] < 0 ? 1 : tape.tensorAt(leaf.id).size), 0);
  const sets = new IndexSets(n);
  const graph = new ElementGraph(sets, tape.length + n);
  const pairs = new Interactions(sets);
  const needed = reachingOutput(tape, output);
  const walk = new Walk(tape, graph, sets, pairs, varyingWithInput(tape, output));
  let offset = 0;
  for (const leaf of leaves) {
    const size = walk.size(leaf.id);
    // Handles made one after another form a run.
    let first = 0;
    for (let k = 0; k < size; k++) {
      const h = graph.stored(sets.singleton(offset + k));
      if (k === 0) first = h;
    }
    walk.setRun(leaf.id, first);
    offset += size;
  }
  const { op, active } = tape;
  for (let i = 0; i <= output; i++) {
    if (needed[i] === 1 && active[i] === 1 && op[i] !== LEAF) sparsityRuleOf(op[i])(walk, i);
  }
  return pairs.pattern();
}

/**
 * varies[i] = 1 when node i's value can change with x: it is active, or an op whose value tracks its
 * input without a derivative (detached), or it reads such a node.
 */
function varyingWithInput(tape: Tape, output: number): Uint8Array {
  const varies = new Uint8Array(output + 1);
  const { in0, in1, active, manyInputs, op } = tape;
  for (let i = 0; i <= output; i++) {
    if (active[i] === 1 || tracksInput(op[i])) {
      varies[i] = 1;
      continue;
    }
    const many = manyInputs.get(i);
    if (many) varies[i] = many.some((j) => varies[j] === 1) ? 1 : 0;
    else varies[i] = (in0[i] >= 0 && varies[in0[i]] === 1) || (in1[i] >= 0 && varies[in1[i]] === 1) ? 1 : 0;
  }
  return varies;
}
