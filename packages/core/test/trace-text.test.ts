// What a trace shows must not depend on what ran before, and user text (op names, pytree keys,
// notes) must come out literally in the Graphviz source, whatever characters it holds.
import { describe, expect, it } from 'vitest';
import { OptionError, defineOp, formatNumber, formatTrace, grad, hvp, toDot, trace, type Scalar, type Tensor } from '../src/index.js';

/** f with a grad inside a grad: the labels of its frames. */
const nested = (x: Scalar) => grad((y: Scalar) => grad((z: Scalar) => z.mul(y).sin())(y).mul(x))(x);
const frameLabels = (t: ReturnType<typeof trace>) => [...new Set(t.rows.map((r) => r.frame).filter((l): l is string => !!l))];

describe('nested-call labels in traces', () => {
  it('number nested calls from 1 in every top-level call, an outer call before the calls inside it', () => {
    const first = formatTrace(trace(nested, 0.5, 1));
    // Nested calls elsewhere in between must not shift the numbers.
    for (let k = 0; k < 3; k++) hvp((x: Tensor) => grad((y: Tensor) => y.square().sum())(x).sum(), [1, 2], [1, 0]);
    const again = formatTrace(trace(nested, 0.5, 1));
    expect(again).toBe(first);
    const labels = frameLabels(trace(nested, 0.5, 1));
    expect(labels.filter((l) => l.endsWith(' · f'))).toEqual(['grad #1 · f', 'grad #2 · f']); // the outer call's rows come first
  });
});

describe('toDot shows user text literally', () => {
  const named = (name: string) => {
    const op = defineOp({ name, primal: (x: number) => 2 * x, partials: () => [2] });
    return toDot(trace((x: Scalar) => op(x).mul(x), 1.5, 1));
  };

  it('escapes backslashes (Graphviz would expand \\N, \\G, \\E) and markup', () => {
    const dot = named('a\\Nb<i>&"q\\G');
    expect(dot).toContain('a&#92;Nb&lt;i&gt;&amp;&quot;q&#92;G');
    expect(dot).not.toMatch(/a\\N/);
  });

  it('shows control characters as their pictures, noncharacters and lone surrogates as U+FFFD', () => {
    const dot = named('esc\u001b[31mred\u0000\u007f\ufffe\ud800');
    expect(dot).toContain('esc\u241b[31mred\u2400\u2421\ufffd\ufffd');
    // No control character, noncharacter or lone surrogate reaches the source.
    expect(/[\u0000-\u0008\u000b-\u001f\u007f\ufffe\uffff]/.test(dot)).toBe(false);
    expect(/[\ud800-\udbff](?![\udc00-\udfff])/.test(dot)).toBe(false);
    // A surrogate pair (an emoji) is kept as it is.
    expect(named('op\u{1F600}')).toContain('op\u{1F600}');
  });

  it('refuses notes whose values are not text', () => {
    const t = trace((x: Scalar) => x.sin(), 1, 1);
    expect(() => toDot(t, { notes: new Map([[1, 42 as never]]) })).toThrow(OptionError);
    expect(toDot(t, { notes: new Map([[1, 'a \\ note']]) })).toContain('a &#92; note');
  });
});

describe('formatNumber keeps its format when a value rounds up to 10^digits', () => {
  it.each([
    [999999.7, 6, '1e6'],
    [9.7, 1, '1e1'],
    [99.96, 3, '100'],
    [-999999.7, 6, '-1e6'],
    [1234567.8, 6, '1.23457e6'],
    [999999.4, 6, '999999'],
    [0.99999996, 6, '1'],
  ])('formatNumber(%s, %s) = %s', (x, digits, text) => {
    expect(formatNumber(x, digits)).toBe(text);
  });
});
