// Arguments past a function's last parameter. JavaScript drops them without a word, so every public
// function (ops, methods, transforms, constructors) refuses them with this one check.
import { ArgumentError } from './errors.js';
import { shown } from './shown.js';

/**
 * Refuses an argument past a function's last parameter. JavaScript drops it silently: `add(a, b, c)` would
 * be a + b, `x.mul(y, z)` x·y and `solve(A, b, 3)` the solve without the 3. `given` is the op's
 * `arguments`, `count` how many parameters it has and `usage` the call written out, as the message
 * shows it; `hint` says what the caller may have meant. An undefined past the end is let through, as
 * an optional parameter left out. A function of two parameters may be reduce's callback,
 * `terms.reduce(add)` or `matrices.reduce(matmul)`, which passes the index and the array after the
 * two: that call is the nested calls, and stays allowed.
 */
export function noExtraArguments(opName: string, given: ArrayLike<unknown>, count: number, usage: string, hint?: string): void {
  if (count === 2 && isReduceCallback(given)) return;
  for (let k = count; k < given.length; k++) {
    if (given[k] === undefined) continue;
    const counted = count === 1 ? 'one argument' : `${count} arguments`;
    throw new ArgumentError(
      `${opName}: takes ${counted}, ${usage}; got a further argument ${shown(given[k])} at position ${k + 1}, ` +
        `which JavaScript would drop without a word; ${hint ?? 'remove it'}`,
    );
  }
}

/** Array.prototype.reduce's call of its callback: (accumulator, element, index, array). */
function isReduceCallback(given: ArrayLike<unknown>): boolean {
  return given.length === 4 && Number.isInteger(given[2]) && Array.isArray(given[3]);
}
