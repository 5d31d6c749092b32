// Arguments past a function's last parameter. JavaScript drops them without a word, so every public
// function (ops, methods, transforms, constructors, and those of the other dualtape packages) refuses
// them with this one check.
import { ArgumentError } from './errors.js';
import { describeValue } from './options.js';
import { shown } from './shown.js';

/**
 * Refuses an argument past a function's last parameter. JavaScript drops it silently: `add(a, b, c)` would
 * be a + b, `x.mul(y, z)` x·y and `solve(A, b, 3)` the solve without the 3. Call it first thing in a
 * `function` (an arrow function has no `arguments`): `given` is its `arguments`, `count` how many
 * parameters it declares (optional ones and `options` included) and `usage` the call written out, as
 * the message shows it; `hint` says what the caller may have meant.
 *
 * An undefined past the end is let through, as an optional parameter left out. A function of two
 * parameters may be reduce's callback, `terms.reduce(add)` or `matrices.reduce(matmul)`, which passes
 * the index and the array after the two: that call is the nested calls, and stays allowed. A function
 * meant for `xs.map(f)` or `xs.filter(f)` (which pass the index and the array after the element)
 * should not call this.
 *
 * @param opName The public function's name, which the message starts with.
 * @param given The function's `arguments` (or an array of them).
 * @param count How many parameters the function declares.
 * @param usage The call written out, e.g. `'solve(A, b, options)'`.
 * @param hint What the caller probably meant; `'remove it'` when left out.
 * @param makeError Builds the thrown error from the message; an {@link ArgumentError} when left out.
 *   Packages pass their own error class, as with {@link checkOptions}, so that their callers can catch
 *   one base class.
 * @throws {ArgumentError} (or what `makeError` builds) naming `opName`, at the first argument past
 *   `count` that is not undefined; an `ArgumentError` naming `noExtraArguments` when its own
 *   arguments are of the wrong kind.
 * @example
 * ```ts
 * function scaleBy(x: number, s: number): number {
 *   noExtraArguments('scaleBy', arguments, 2, 'scaleBy(x, s)', 'to scale twice nest the calls: scaleBy(scaleBy(x, s), t)');
 *   return x * s;
 * }
 * scaleBy(2, 3); // 6
 * // scaleBy(2, 3, 4) throws ArgumentError: "scaleBy: takes 2 arguments, scaleBy(x, s); got a further
 * // argument 4 at position 3, which JavaScript would drop without a word; to scale twice nest the calls: …"
 * ```
 */
export function noExtraArguments(
  opName: string,
  given: ArrayLike<unknown>,
  count: number,
  usage: string,
  hint?: string,
  makeError?: (message: string) => Error,
): void {
  if (
    typeof opName !== 'string' || !isArgumentList(given) || !Number.isSafeInteger(count) || count < 0 || typeof usage !== 'string' ||
    (hint !== undefined && typeof hint !== 'string') || (makeError !== undefined && typeof makeError !== 'function')
  ) {
    throw new ArgumentError(
      'noExtraArguments: expected (opName: a string, given: the arguments object or an array, count: an integer ≥ 0, usage: a string, ' +
        `hint?: a string, makeError?: a function), got ${describeValue(opName)}, ${describeValue(given)}, ${describeValue(count)}, ` +
        `${describeValue(usage)}, ${describeValue(hint)} and ${describeValue(makeError)}`,
    );
  }
  if (arguments.length > 6) noExtraArguments('noExtraArguments', arguments, 6, 'noExtraArguments(opName, given, count, usage, hint, makeError)');
  if (count === 2 && isReduceCallback(given)) return;
  for (let k = count; k < given.length; k++) {
    if (given[k] === undefined) continue;
    const counted = count === 0 ? 'no arguments' : count === 1 ? 'one argument' : `${count} arguments`;
    const message =
      `${opName}: takes ${counted}, ${usage}; got a further argument ${shown(given[k])} at position ${k + 1}, ` +
      `which JavaScript would drop without a word; ${hint ?? 'remove it'}`;
    throw makeError === undefined ? new ArgumentError(message) : makeError(message);
  }
}

/** The arguments object, or an array (a node is neither: reading its length throws). */
function isArgumentList(given: unknown): given is ArrayLike<unknown> {
  return Array.isArray(given) || Object.prototype.toString.call(given) === '[object Arguments]';
}

/** Array.prototype.reduce's call of its callback: (accumulator, element, index, array). */
function isReduceCallback(given: ArrayLike<unknown>): boolean {
  return given.length === 4 && Number.isInteger(given[2]) && Array.isArray(given[3]);
}
