/**
 * Which nodes of a tape the output depends on: a backward pass from the output over each node's
 * inputs (in0, in1, or the list of a many-input node). A node it does not reach gets no adjoint, and
 * no node the output needs reads its tangent, so a sweep may skip it: a matmul that reads a weight's
 * transpose in place leaves the transpose node unread, and so does work f does on the side (an aux
 * value, an unused intermediate).
 * @module
 */
import type { Tape } from './tape.js';

/** reaching[i] = 1 when output node `output` of `tape` depends on node i (the output included). */
export function reachingOutput(tape: Tape, output: number): Uint8Array {
  const reaching = new Uint8Array(tape.length);
  reaching[output] = 1;
  const { in0, in1, active, manyInputs } = tape;
  for (let i = output; i >= 0; i--) {
    if (reaching[i] === 0 || active[i] === 0) continue;
    const many = manyInputs.get(i);
    if (many) for (const j of many) reaching[j] = 1;
    else {
      if (in0[i] >= 0) reaching[in0[i]] = 1;
      if (in1[i] >= 0) reaching[in1[i]] = 1;
    }
  }
  return reaching;
}
