// Parsing einsum subscripts the way NumPy does: letters a–z and A–Z label axes, '...' stands for
// broadcast leading axes, spaces are ignored, '->' names the output; without it the output is '...'
// followed by the letters used exactly once, in alphabetical (ASCII) order. A label repeated in one
// operand takes a diagonal; a label's sizes must agree across operands, where size 1 broadcasts.
// Internal to einsum.
import { ArgumentError, ShapeError } from '../errors.js';
import { formatShape, type Shape } from '../shape.js';

/** Ellipsis axes get labels from here up, one per broadcast axis (letters are char codes < 128). */
const ELLIPSIS_BASE = 1000;

/** Subscripts resolved against the operands' shapes: one label per axis of each operand and of the output. */
export interface EinsumSpec {
  readonly inputs: readonly (readonly number[])[];
  readonly output: readonly number[];
  /** Each label's size (its size other than 1, if any: size 1 broadcasts, against 0 too). */
  readonly sizes: ReadonlyMap<number, number>;
}

interface Term {
  readonly labels: number[];
  /** Position of '...' among the labels, or −1. */
  readonly ellipsisAt: number;
}

const isLetter = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

/** The text of a label, for messages. */
export function labelName(label: number): string {
  return label >= ELLIPSIS_BASE ? `...[${label - ELLIPSIS_BASE}]` : String.fromCharCode(label);
}

function parseTerm(text: string, what: string): Term {
  const labels: number[] = [];
  let ellipsisAt = -1;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (c === ' ') continue;
    if (c === '.') {
      if (text.slice(k, k + 3) !== '...') throw new ArgumentError(`einsum: ${what} has a '.' that is not part of '...'`);
      if (ellipsisAt >= 0) throw new ArgumentError(`einsum: ${what} has more than one '...'`);
      ellipsisAt = labels.length;
      k += 2;
      continue;
    }
    if (!isLetter(c)) throw new ArgumentError(`einsum: ${what} has the character ${JSON.stringify(c)}; labels are the letters a–z and A–Z`);
    labels.push(c.charCodeAt(0));
  }
  return { labels, ellipsisAt };
}

/**
 * Resolves `subscripts` against the operands' shapes, or throws an ArgumentError (malformed
 * subscripts) or a ShapeError (sizes that disagree) naming the problem.
 */
export function parseSubscripts(subscripts: string, shapes: readonly Shape[]): EinsumSpec {
  if (typeof subscripts !== 'string') throw new ArgumentError(`einsum: the subscripts must be a string such as 'ij,jk->ik', got ${typeof subscripts}`);
  const arrow = subscripts.indexOf('->');
  if (arrow >= 0 && subscripts.indexOf('->', arrow + 2) >= 0) throw new ArgumentError(`einsum: '${subscripts}' has more than one '->'`);
  const lhs = arrow >= 0 ? subscripts.slice(0, arrow) : subscripts;
  if (lhs.includes('>') || (arrow < 0 && subscripts.includes('-'))) throw new ArgumentError(`einsum: '${subscripts}' has a stray '-' or '>'; the output follows '->'`);
  const texts = lhs.split(',');
  if (texts.length !== shapes.length) {
    throw new ArgumentError(`einsum: '${subscripts}' names ${texts.length} operand(s) but ${shapes.length} were given`);
  }
  const terms = texts.map((text, j) => parseTerm(text, `the subscripts of operand ${j} ('${text.trim()}')`));

  // Each operand's ellipsis covers the axes its letters leave; all of them broadcast together.
  let ellipsisRank = 0;
  const counts = terms.map((term, j) => {
    const rank = shapes[j].length;
    const n = term.labels.length;
    if (term.ellipsisAt < 0 ? n !== rank : n > rank) {
      throw new ArgumentError(
        `einsum: operand ${j} has shape ${formatShape(shapes[j])} (${rank} axes) but its subscripts '${texts[j].trim()}' label ${n}` +
          (term.ellipsisAt < 0 ? '; give one label per axis, or use ... for the leading ones' : ''),
      );
    }
    const e = term.ellipsisAt < 0 ? 0 : rank - n;
    ellipsisRank = Math.max(ellipsisRank, e);
    return e;
  });
  const ellipsisLabels = (e: number) => Array.from({ length: e }, (_, k) => ELLIPSIS_BASE + ellipsisRank - e + k);
  const inputs = terms.map((term, j) =>
    term.ellipsisAt < 0 ? term.labels : [...term.labels.slice(0, term.ellipsisAt), ...ellipsisLabels(counts[j]), ...term.labels.slice(term.ellipsisAt)],
  );

  const sizes = new Map<number, number>();
  inputs.forEach((labels, j) => {
    labels.forEach((label, axis) => {
      const d = shapes[j][axis];
      const first = labels.indexOf(label);
      if (first < axis && shapes[j][first] !== d) {
        throw new ShapeError(`einsum: label '${labelName(label)}' repeats in operand ${j} (shape ${formatShape(shapes[j])}) over axes of sizes ${shapes[j][first]} and ${d}; a diagonal needs equal sizes`);
      }
      const known = sizes.get(label);
      if (known !== undefined && known !== d && known !== 1 && d !== 1) {
        throw new ShapeError(`einsum: label '${labelName(label)}' has size ${known} in one operand and ${d} in operand ${j} (shapes ${shapes.map(formatShape).join(', ')}); sizes must agree or be 1`);
      }
      sizes.set(label, known === undefined || known === 1 ? d : known);
    });
  });

  let output: number[];
  if (arrow < 0) {
    const all = inputs.flat();
    const once = [...new Set(all)].filter((l) => l < ELLIPSIS_BASE && all.indexOf(l) === all.lastIndexOf(l)).sort((a, b) => a - b);
    output = [...ellipsisLabels(ellipsisRank), ...once];
  } else {
    const term = parseTerm(subscripts.slice(arrow + 2), `the output subscripts ('${subscripts.slice(arrow + 2).trim()}')`);
    if (term.ellipsisAt < 0 && ellipsisRank > 0) {
      throw new ArgumentError(`einsum: '${subscripts}': the operands have ${ellipsisRank} broadcast axes under '...' but the output has no '...' to put them in`);
    }
    output = term.ellipsisAt < 0 ? term.labels : [...term.labels.slice(0, term.ellipsisAt), ...ellipsisLabels(ellipsisRank), ...term.labels.slice(term.ellipsisAt)];
    output.forEach((label, k) => {
      if (output.indexOf(label) !== k) throw new ArgumentError(`einsum: '${subscripts}' names output label '${labelName(label)}' twice`);
      if (!sizes.has(label)) throw new ArgumentError(`einsum: output label '${labelName(label)}' of '${subscripts}' appears in no operand`);
    });
  }
  return { inputs, output, sizes };
}
