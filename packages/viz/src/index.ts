/**
 * `@dualtape/viz`: SVG pictures of a {@link Trace}, the tape drawn as a graph with value, R{value},
 * adjoint and R{adjoint} on every node. The graph is written as DOT by `toDot` in `@dualtape/core`
 * and laid out by Graphviz compiled to WebAssembly (`@viz-js/viz`), so no system Graphviz is needed
 * and the same code runs in Node and in the browser.
 *
 * @example
 * ```ts
 * import { trace } from '@dualtape/core';
 * import { renderTraceSvg } from '@dualtape/viz';
 * const svg = await renderTraceSvg(trace((x: Scalar) => x.sin().mul(x), 1, 1));
 * ```
 * @packageDocumentation
 */
import { ArgumentError, describeValue, noExtraArguments, toDot, type DotOptions, type Trace } from '@dualtape/core';
import { instance, type Viz } from '@viz-js/viz';

export type { DotOptions } from '@dualtape/core';

// One Graphviz instance per process or page: compiling the WebAssembly module is the slow part.
let graphviz: Promise<Viz> | null = null;

function viz(): Promise<Viz> {
  graphviz ??= instance().catch((error: unknown) => {
    graphviz = null; // let a later call try again
    throw error;
  });
  return graphviz;
}

/**
 * Renders DOT source to an SVG document (a string starting with `<?xml` / `<svg`).
 *
 * @throws `ArgumentError` of `@dualtape/core` (rejects with it) when `dot` is not a string or is empty,
 *   when Graphviz cannot draw it (the message holds Graphviz's own, such as `syntax error in line 1`),
 *   or when an argument follows it (there are no options, which JavaScript would drop without a word).
 *
 * @example
 * ```ts
 * const svg = await renderDotSvg('digraph { a -> b }');
 * ```
 */
export async function renderDotSvg(dot: string): Promise<string> {
  // Graphviz's own options (an engine, a format) are not taken: renderDotSvg(dot, { engine: 'neato' })
  // would otherwise draw with dot and say nothing.
  noExtraArguments('renderDotSvg', arguments, 1, 'renderDotSvg(dot)', 'it takes no options (the layout is Graphviz dot, the format SVG)');
  // Graphviz would take an object as a graph description and reject anything else with a bare Error.
  if (typeof dot !== 'string') throw new ArgumentError(`renderDotSvg: dot must be DOT source text (a string, e.g. toDot(t)), got ${describeValue(dot)}`);
  // Graphviz answers an empty source with a bare "render failed".
  if (dot.trim() === '') throw new ArgumentError("renderDotSvg: dot is empty; give DOT source text such as 'digraph { a -> b }' or toDot(t)");
  const graphviz = await viz();
  try {
    return graphviz.renderString(dot, { format: 'svg', engine: 'dot' });
  } catch (error) {
    // Graphviz throws a bare Error; the caller's mistake gets the package's class, Graphviz's words kept.
    const message = error instanceof Error ? error.message : String(error);
    throw new ArgumentError(`renderDotSvg: Graphviz could not draw the DOT source: ${message}`);
  }
}

/**
 * The trace's graph as SVG (see `toDot` for the options: pass a `frame` to show the sweeps part way).
 * Each node is a `<g id="node_<index>" class="node">` element.
 *
 * @throws `ArgumentError` of `@dualtape/core` (rejects with it) for an argument past `options`, for a
 *   trace of more than 2,000 nodes (Graphviz's layout is synchronous, and takes seconds at a few
 *   hundred nodes when an input is read all along a long chain), and what `toDot` throws for a bad
 *   trace or options.
 *
 * @example
 * ```ts
 * const t = trace(f, x, v);
 * writeFileSync('trace.svg', await renderTraceSvg(t));
 * const halfway = await renderTraceSvg(t, { frame: traceFrame(t, t.rows.length) });
 * ```
 */
export async function renderTraceSvg(trace: Trace, options: DotOptions = {}): Promise<string> {
  noExtraArguments('renderTraceSvg', arguments, 2, 'renderTraceSvg(trace, options)');
  const dot = toDot(trace, options);
  // Graphviz runs synchronously: a layout of minutes would hold the thread (or the page) with no way out.
  if (trace.rows.length > MAX_NODES) {
    throw new ArgumentError(
      `renderTraceSvg: the trace has ${trace.rows.length} nodes, more than the ${MAX_NODES} drawn here (the layout would hold the thread for minutes); ` +
        'trace a smaller f, print it with formatTrace(t), or lay out toDot(t) with a system Graphviz',
    );
  }
  return renderDotSvg(dot);
}

/**
 * The most nodes renderTraceSvg lays out. Layout time depends on the graph: a chain of 1,001 nodes
 * takes 0.2 s, but an input read along a long chain (x in a loop of y = sin(y·x)) 2 s at 241 nodes
 * and 9 s at 401, with toDot's bounded passes for large graphs.
 */
const MAX_NODES = 2000;

/** The version of the Graphviz build that draws the pictures. */
export { graphvizVersion } from '@viz-js/viz';
