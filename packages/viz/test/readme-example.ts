// The example of ../README.md ("Ten lines"), line for line: readme.test.ts keeps the two equal.
import { trace, type Scalar } from '@dualtape/core';
import { renderTraceSvg } from '@dualtape/viz';

// f(x, y) = x·y + sin x at (2, 3) with v = (1, 0): the tape with every node's four lanes.
const t = trace((p: { x: Scalar; y: Scalar }) => p.x.mul(p.y).add(p.x.sin()), { x: 2, y: 3 }, { x: 1, y: 0 });
const svg = await renderTraceSvg(t, { rankdir: 'LR' }); // an SVG document: save it as .svg or put it in a page

console.log(t.value, t.grad, t.hvp); // 6 + sin 2, { x: 3 + cos 2, y: 2 }, { x: −sin 2, y: 1 }
console.log(svg.slice(svg.indexOf('<svg'), svg.indexOf('>', svg.indexOf('<svg')) + 1)); // <svg width=… height=… …>
