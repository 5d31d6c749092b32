// The examples in the doc comments of node.ts (every Tensor and Scalar method), dual.ts, pytree.ts,
// transforms.ts, compile.ts, checkpoint.ts, custom-jvp.ts, vmap.ts and arity.ts are self-contained: each runs with the package's
// exports in scope, and a line `expr; // 3` or `expr; // [0.5, 0.75]` states the value of expr. This
// test runs every such example and checks each stated value, to the digits written (a comment
// "0.6931" holds within one unit of its last digit; a comment "3" exactly), so an example cannot
// drift from what the method does.
import { readFileSync } from 'node:fs';
import { transformSync } from 'esbuild';
import { describe, expect, it } from 'vitest';
import * as core from '../src/index.js';

interface Example {
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

/** The fenced ```ts examples of a source file's doc comments, with the line each starts on. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(new URL(`../src/${file}`, import.meta.url), 'utf8').split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^\s*\*\s*@example\s*$/.test(lines[i]) || !/^\s*\*\s*```ts\s*$/.test(lines[i + 1] ?? '')) continue;
    const body: string[] = [];
    let j = i + 2;
    for (; j < lines.length && !/^\s*\*\s*```\s*$/.test(lines[j]); j++) body.push(lines[j].replace(/^\s*\* ?/, ''));
    examples.push({ file, line: i + 3, code: body.join('\n') });
    i = j;
  }
  return examples;
}

/** The literal a comment starts with: a number, a (nested) array of numbers, a quoted string, a boolean. */
function statedValue(comment: string): { numbers: string[] } | { text: string } | null {
  const number = /^-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?/i;
  if (comment.startsWith("'")) {
    const end = comment.indexOf("'", 1);
    return end > 0 ? { text: comment.slice(1, end) } : null;
  }
  if (/^(true|false)\b/.test(comment)) return { text: comment.startsWith('true') ? 'true' : 'false' };
  if (comment.startsWith('[')) {
    let depth = 0, end = 0;
    for (; end < comment.length; end++) {
      if (comment[end] === '[') depth++;
      if (comment[end] === ']' && --depth === 0) break;
    }
    const inside = comment.slice(0, end + 1);
    if (!/^[[\]\d\s,.eE+-]+$/.test(inside)) return null;
    return { numbers: inside.match(/-?(\d+(\.\d*)?|\.\d+)(e[-+]?\d+)?/gi) ?? [] };
  }
  const match = number.exec(comment);
  return match ? { numbers: [match[0]] } : null;
}

/** How far a number may be from the one written as `text`: one unit of its last digit; none for an integer. */
function tolerance(text: string): number {
  const [mantissa, exponent = '0'] = text.toLowerCase().split('e');
  const decimals = mantissa.includes('.') ? mantissa.split('.')[1].length : 0;
  return decimals === 0 && exponent === '0' ? 0 : 10 ** (Number(exponent) - decimals);
}

/** A result as a flat list of numbers (nodes by their values, arrays and typed arrays flattened). */
function numbersOf(value: unknown): number[] {
  if (core.isNode(value)) return numbersOf(value.value);
  if (typeof value === 'number') return [value];
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.flatMap(numbersOf);
  throw new Error(`not a number, array or node: ${String(value)}`);
}

function check(where: string, actual: unknown, comment: string): void {
  const stated = statedValue(comment.trim());
  if (stated === null) return; // a comment in words: the line only has to run
  if ('text' in stated) {
    expect(String(actual), where).toBe(stated.text);
    return;
  }
  const got = numbersOf(actual);
  expect(got.length, `${where}: ${got.length} numbers, the comment states ${stated.numbers.length}`).toBe(stated.numbers.length);
  stated.numbers.forEach((text, k) => {
    expect(Math.abs(got[k] - Number(text)), `${where}: element ${k} is ${got[k]}, the comment says ${text}`).toBeLessThanOrEqual(tolerance(text));
  });
}

/**
 * The example as JavaScript in which each `expr; // value` line reports expr and its comment. Its
 * imports from the package are dropped (the exports are in scope) and its body is a block of its own,
 * so it may declare names the package exports (`const { sign } = …`).
 */
function instrumented(example: Example): string {
  const lines = example.code.split('\n').map((line, k) => {
    if (/^\s*import\b.*from '@dualtape\/core';$/.test(line)) return '';
    const match = /^(?!\s*(const|let|var)\b)(.+?);\s*\/\/\s*(.*)$/.exec(line);
    return match ? `__check(${example.line + k}, (${match[2]}), ${JSON.stringify(match[3])});` : line;
  });
  return `{\n${transformSync(lines.join('\n'), { loader: 'ts' }).code}\n}`;
}

const names = Object.keys(core);
const examples = ['node.ts', 'dual.ts', 'pytree.ts', 'transforms.ts', 'compile.ts', 'checkpoint.ts', 'custom-jvp.ts', 'vmap.ts', 'arity.ts'].flatMap(examplesOf);

describe('doc-comment examples', () => {
  it('finds the examples of every Tensor and Scalar method', () => {
    expect(examples.filter((e) => e.file === 'node.ts').length).toBeGreaterThan(120);
  });

  for (const example of examples) {
    it(`${example.file}:${example.line} ${example.code.split('\n')[0]}`, () => {
      const run = new Function(...names, '__check', instrumented(example));
      run(...names.map((name) => (core as Record<string, unknown>)[name]), (line: number, actual: unknown, comment: string) => {
        check(`${example.file}:${line}`, actual, comment);
      });
    });
  }
});
