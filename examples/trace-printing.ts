/**
 * Watching the sweeps (guide page 2): `trace` returns every tape node's value, R{value}, adjoint and
 * R{adjoint}, and the order of the reverse sweep; `formatTrace` prints it, `toDot` draws it for
 * Graphviz and `@dualtape/viz` renders that to SVG without a system Graphviz.
 *
 *   f(x, y) = x·y + sin x     at (x, y) = (2, 3), along v = (1, −2)
 *   ∇f = (y + cos x, x),   H = [[−sin x, 1], [1, 0]],   H·v = (−sin x·vₓ + v_y, vₓ)
 *
 * Run: pnpm example trace-printing   (writes demo-output/trace-printing.{dot,svg})
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTrace, gradAndHvp, toDot, trace, type Scalar } from '@dualtape/core';
import { renderTraceSvg } from '@dualtape/viz';
import { check, finish } from './lib/check.js';

const f = (p: { x: Scalar; y: Scalar }) => p.x.mul(p.y).add(p.x.sin());
const x = { x: 2, y: 3 };
const v = { x: 1, y: -2 };

const t = trace(f, x, v);
console.log(formatTrace(t));

console.log('\nchecks:');
check('∇f = (y + cos x, x)', [t.grad.x, t.grad.y], [3 + Math.cos(2), 2]);
check('H·v = (−sin x·vₓ + v_y, vₓ)', [t.hvp.x, t.hvp.y], [-Math.sin(2) - 2, 1]);
const reference = gradAndHvp(f, x, v);
check('trace gives exactly what gradAndHvp gives', [t.value, t.grad.x, t.grad.y, t.hvp.x, t.hvp.y],
  [reference.value, reference.grad.x, reference.grad.y, reference.hvp.x, reference.hvp.y], 0);
check('the reverse sweep visits #4, #3, #2, #1, #0', t.reverse.map((s) => s.node), [4, 3, 2, 1, 0], 0);

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'demo-output');
mkdirSync(out, { recursive: true });
const svg = await renderTraceSvg(t);
writeFileSync(join(out, 'trace-printing.dot'), toDot(t));
writeFileSync(join(out, 'trace-printing.svg'), svg);
check('the SVG has one node per tape node', (svg.match(/class="node"/g) ?? []).length, t.rows.length, 0);
console.log(`\nwrote ${relative(process.cwd(), join(out, 'trace-printing.dot'))} and trace-printing.svg (open the SVG in a browser)`);
finish();
