#!/usr/bin/env node
// `pnpm run pack-smoke`: are the packages usable outside this monorepo? It packs every package
// under packages/ with `pnpm pack` (whose prepack step builds it), checks each tarball's manifest
// and files, installs the tarballs with npm into a new project in the temp folder (outside the
// workspace, so nothing resolves to the sources), compiles scripts/pack-smoke/main.ts there with
// tsc against the installed .d.ts files, and runs it with node: gradAndHvp on the WebAssembly and
// worker-threads kernels, checkGrads, cg, the two-layer net and an SVG trace. Only third-party
// dependencies (@viz-js/viz) come from the npm registry.
//
// Usage: node scripts/pack-smoke.mjs [--keep]   (--keep leaves the temp folder for a look)
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const keep = process.argv.includes('--keep');
const work = mkdtempSync(path.join(os.tmpdir(), 'dualtape-pack-smoke-'));
const tarballs = path.join(work, 'tarballs');
const app = path.join(work, 'app');
const problems = [];

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.status ?? result.signal}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/** Every file an `exports` entry points at, by condition. */
function exportTargets(entry, condition = 'default') {
  if (typeof entry === 'string') return [[condition, entry]];
  return Object.entries(entry ?? {}).flatMap(([key, value]) => exportTargets(value, key));
}

/** Checks a tarball's manifest and that it holds every file its exports name. */
function checkTarball(file) {
  const listed = new Set(execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean).map((p) => p.replace(/^package\//, '')));
  const manifest = JSON.parse(execFileSync('tar', ['-xzOf', file, 'package/package.json'], { encoding: 'utf8' }));
  const name = path.basename(file);
  for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })) {
    if (String(range).startsWith('workspace:')) problems.push(`${name}: dependency ${dep} is still "${range}"`);
  }
  for (const [condition, target] of Object.values(manifest.exports ?? {}).flatMap((entry) => exportTargets(entry))) {
    if (!listed.has(target.replace(/^\.\//, ''))) problems.push(`${name}: exports (${condition}) names ${target}, which is not in the tarball`);
  }
  for (const entry of listed) {
    if (/(^|\/)(test|node_modules)\/|\.test\.[cm]?[jt]s$/.test(entry)) problems.push(`${name}: ships ${entry}`);
  }
  return { name: manifest.name, files: listed.size };
}

try {
  if (Number(process.versions.node.split('.')[0]) < 20) throw new Error(`Node ${process.version}: dualtape needs Node 20 or newer`);

  // pnpm packs in dependency order, so each package's prepack build finds its dependencies' builds.
  mkdirSync(tarballs);
  run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', tarballs], root);
  const packed = readdirSync(tarballs).filter((f) => f.endsWith('.tgz')).map((f) => path.join(tarballs, f));
  const packages = readdirSync(path.join(root, 'packages')).filter((dir) => !JSON.parse(readFileSync(path.join(root, 'packages', dir, 'package.json'), 'utf8')).private);
  if (packed.length !== packages.length) throw new Error(`packed ${packed.length} tarballs for ${packages.length} packages`);
  for (const file of packed) {
    const { name, files } = checkTarball(file);
    console.log(`packed ${name}: ${path.basename(file)}, ${files} files`);
  }

  // A project that knows nothing of the workspace: type module, strict TypeScript, Node16 resolution,
  // every .d.ts checked (the DOM library only because @viz-js/viz's types name SVGSVGElement; core
  // builds without it, so its types cannot lean on it).
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'dualtape-pack-smoke', private: true, type: 'module' }, null, 2)}\n`);
  writeFileSync(path.join(app, 'tsconfig.json'), `${JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'Node16', moduleResolution: 'Node16', lib: ['ES2022', 'DOM'], types: [], strict: true, skipLibCheck: false, outDir: 'dist' },
    files: ['main.ts'],
  }, null, 2)}\n`);
  copyFileSync(path.join(root, 'scripts/pack-smoke/main.ts'), path.join(app, 'main.ts'));
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed], app);
  const nested = packages.flatMap((dir) => {
    const inner = path.join(app, 'node_modules/@dualtape', dir, 'node_modules/@dualtape');
    try {
      return readdirSync(inner).map((d) => `@dualtape/${dir} has its own copy of @dualtape/${d}`);
    } catch {
      return [];
    }
  });
  problems.push(...nested);

  // The workspace's TypeScript compiles the project; it resolves types from the project's node_modules.
  const tsc = path.join(path.dirname(createRequire(path.join(root, 'package.json')).resolve('typescript/package.json')), 'bin/tsc');
  run(process.execPath, [tsc, '-p', app], app);
  const program = spawnSync(process.execPath, [path.join(app, 'dist/main.js')], { cwd: app, encoding: 'utf8' });
  process.stdout.write(program.stdout.replace(/^(?=.)/gm, '  '));
  if (program.stderr) process.stderr.write(program.stderr);
  if (program.status !== 0) problems.push(`the program exited with ${program.status ?? program.signal}`);
} catch (error) {
  problems.push(error instanceof Error ? error.message : String(error));
} finally {
  if (keep) console.log(`kept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

if (problems.length > 0) {
  console.error(`pack-smoke: FAILED\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`pack-smoke: ok — the tarballs install into a fresh npm project on Node ${process.version} and the program runs`);
