#!/usr/bin/env node
// `pnpm run docs:check`: builds the API reference into a temporary folder, exactly as
// `pnpm run docs` does (same typedoc.json), and checks that it reads as one site:
// - one module per package export, named by its import path (`@dualtape/core/testing`);
// - the guide (docs/guide/README.md) with every numbered page of docs/guide under it, in order;
// - every parameter named `options` links to a page for its type;
// - an overview landing page;
// - no TypeDoc warning: typedoc.json treats warnings as errors (an export with no description or
//   example, an unfenced example, a link to nothing, a public type with no page — see
//   docs/typedoc/plugin.mjs), so any warning fails this check as it fails `pnpm run docs`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(path.join(os.tmpdir(), 'dualtape-docs-'));
const problems = [];

try {
  const typedoc = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('typedoc/package.json')), 'bin/typedoc');
  const run = spawnSync(process.execPath, [typedoc, '--out', path.join(out, 'html'), '--json', path.join(out, 'model.json')], { cwd: root, encoding: 'utf8' });
  process.stdout.write(run.stdout);
  process.stderr.write(run.stderr);
  if (run.status !== 0) throw new Error(`typedoc exited with ${run.status}: its errors and warnings are printed above`);
  const model = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8'));

  // Modules: one per `exports` entry of every package (but ./package.json).
  const expected = [];
  for (const dir of readdirSync(path.join(root, 'packages'))) {
    const pkg = JSON.parse(readFileSync(path.join(root, 'packages', dir, 'package.json'), 'utf8'));
    for (const subpath of Object.keys(pkg.exports ?? {})) {
      if (subpath === './package.json') continue;
      expected.push(subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);
    }
  }
  const modules = model.children.map((m) => m.name);
  for (const name of expected) if (!modules.includes(name)) problems.push(`no module named ${name} (modules: ${modules.join(', ')})`);
  for (const name of modules) if (!expected.includes(name)) problems.push(`module ${name} is not an import path of any package`);

  // The guide: README as the parent, then every numbered page in file-name order.
  const fileOf = new Map(Object.entries(model.files.reflections).map(([fileId, reflectionId]) => [reflectionId, model.files.entries[fileId]]));
  const guide = (model.documents ?? []).find((d) => fileOf.get(d.id) === 'docs/guide/README.md');
  const pages = readdirSync(path.join(root, 'docs/guide')).filter((f) => f.endsWith('.md') && f !== 'README.md').sort();
  if (!guide) problems.push('docs/guide/README.md is not a document of the site');
  else {
    const children = (guide.children ?? []).map((c) => path.basename(fileOf.get(c.id) ?? '?'));
    if (children.join() !== pages.join()) problems.push(`the guide's pages are [${children.join(', ')}], expected [${pages.join(', ')}]`);
  }

  // Options: every type named in an `options` parameter links to a page (ours, or an external
  // one for TypeScript's own types, see externalSymbolLinkMappings in typedoc.json).
  const unlinked = (type) => {
    if (!type || typeof type !== 'object') return [];
    const own = type.type === 'reference' && typeof type.target !== 'number' && !type.externalUrl && !type.refersToTypeParameter ? [type.name] : [];
    return [...own, ...Object.values(type).flatMap((value) => (Array.isArray(value) ? value.flatMap(unlinked) : unlinked(value)))];
  };
  const visit = (node, trail) => {
    for (const signature of node.signatures ?? []) {
      for (const parameter of signature.parameters ?? []) {
        const names = parameter.name === 'options' ? unlinked(parameter.type) : [];
        if (names.length > 0) problems.push(`${trail}${node.name}: the options parameter names ${names.join(', ')}, which has no page to link to`);
      }
    }
    for (const child of node.children ?? []) visit(child, `${trail}${node.name}.`);
  };
  for (const module of model.children) visit(module, '');

  // The landing page.
  const landing = readFileSync(path.join(out, 'html/index.html'), 'utf8');
  if (!landing.includes('id="packages"') || !landing.includes('modules/_dualtape_core.html')) problems.push('index.html is not the overview (docs/typedoc/overview.md) linking the packages');
} catch (error) {
  problems.push(String(error instanceof Error ? error.message : error));
} finally {
  rmSync(out, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`docs:check: ${problems.length} problem(s)\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log('docs:check: the API reference builds; modules, guide order, options links and overview are in place');
