// Arguments past a function's last parameter, which JavaScript would drop without a word:
// `renderDotSvg(dot, { engine: 'neato' })` would draw with dot and say nothing. Every exported function
// refuses a non-undefined one with core's noExtraArguments: the promise rejects with core's
// ArgumentError (the class renderDotSvg already rejects with for a dot that is not a string), whose
// message starts with the function's name. The table is checked against Object.keys of the package
// index, so a new exported function without a case fails the first test.
import { ArgumentError, tensor, trace, type Scalar } from '@dualtape/core';
import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

type Fn = (...args: unknown[]) => Promise<unknown>;
const exported = api as unknown as Record<string, unknown>;
const isClass = (v: unknown) => typeof v === 'function' && /^class\b/.test(Function.prototype.toString.call(v));
/** The exported functions a user calls: not types (not in Object.keys), constants (graphvizVersion) or classes. */
const FUNCTIONS = Object.keys(api).filter((name) => typeof exported[name] === 'function' && !isClass(exported[name]));

const t = trace((x: Scalar) => x.sin().mul(x), 1, 1);
/** A valid call with every parameter in place, so that an extra lands past the real end. */
const CASES: Record<string, () => unknown[]> = {
  renderDotSvg: () => ['digraph { a -> b }'],
  renderTraceSvg: () => [t, { rankdir: 'LR' }],
};
/** None: neither is a natural callback of map (renderTraceSvg's second parameter would be the index). */
const EXEMPT: Record<string, string> = {};

describe('an argument past the last parameter rejects with an ArgumentError naming the function', () => {
  it('every exported function has a case or a listed exemption, and nothing else does', () => {
    expect([...Object.keys(CASES), ...Object.keys(EXEMPT)].sort()).toEqual([...FUNCTIONS].sort());
  });

  it.each(Object.keys(CASES))('%s', async (name) => {
    const call = exported[name] as Fn;
    const args = CASES[name]();
    await expect(call(...args), `${name}: the valid call`).resolves.toMatch(/<svg/);
    // undefined past the end is an optional parameter left out, not an extra.
    await expect(call(...args, undefined, undefined), `${name}: undefined past the end`).resolves.toMatch(/<svg/);
    for (let p = args.length; p < args.length + 3; p++) {
      for (const [label, extra] of [['a node', tensor([1, 2, 3])], ['a number', 3]] as const) {
        const padded = [...args, ...Array<undefined>(p - args.length).fill(undefined), extra];
        const what = `${name}: ${label} as argument ${p + 1}`;
        const error = await call(...padded).then(() => null, (e: unknown) => e);
        expect(error, `${what} was dropped`).toBeInstanceOf(ArgumentError);
        expect((error as Error).message, what).toMatch(new RegExp(`^${name}: takes `));
        expect((error as Error).message, what).toContain(`at position ${p + 1}`);
      }
    }
  });

  it('Graphviz options after the DOT source are refused, not ignored', async () => {
    await expect((api.renderDotSvg as Fn)('digraph { a -> b }', { engine: 'neato' })).rejects.toThrow(
      /^renderDotSvg: takes one argument, renderDotSvg\(dot\); got a further argument an object at position 2, .*it takes no options/,
    );
  });
});
