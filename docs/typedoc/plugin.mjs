// TypeDoc plugin for dualtape's API reference (loaded by typedoc.json). It does what the options
// cannot:
//
// 1. Names each entry-point module after the import path a user writes (`@dualtape/core`,
//    `@dualtape/core/testing`), read from the nearest package.json's `exports` map, instead of the
//    path TypeDoc derives (`core/src`). An entry point that no export reaches is an error: it would
//    document something nobody can import.
// 2. Turns docs/guide/*.md into one "Guide" document (the guide's README) with the numbered pages
//    as its children, in file-name order, so a page added to the guide shows up in order without
//    touching this configuration; every document is titled by its first `# ` heading.
// 3. Warns about a type of our packages that the documented API uses (a parameter, a result, a
//    member's type) but that its package does not export by name: a user could not write it in a
//    type annotation, and the docs would have no page for it. The fix is a type-only export from
//    the package's entry point; a type whose declaration is tagged `@internal` (the engine's own
//    machinery, such as the fused values behind `Value`) stays a plain name.
// 4. Warns about exports, and public members of exported classes, with no description or no
//    `@example` of their own, and about `@example` blocks with no fenced code block (TypeDoc
//    renders such a block as code verbatim, so `@example \`relu(x)\`` shows the backticks; the fix
//    is a ```ts fence in the source comment). `pnpm run docs` treats every warning as an error.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { Converter, makeRecursiveVisitor, ReflectionKind, RendererEvent } from 'typedoc';

/** The package.json above `file`, with its directory. */
function owningPackage(file) {
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) return { dir, pkg: JSON.parse(readFileSync(manifest, 'utf8')) };
    if (path.dirname(dir) === dir) return null;
  }
}

/** Every file path an `exports` entry can resolve to, whatever the condition. */
function exportTargets(entry) {
  if (typeof entry === 'string') return [entry];
  if (entry && typeof entry === 'object') return Object.values(entry).flatMap(exportTargets);
  return [];
}

/** `@dualtape/core/testing` for packages/core/src/testing/index.ts, or null when no export reaches it. */
export function importPathOf(file) {
  const owner = owningPackage(file);
  if (!owner?.pkg.name || typeof owner.pkg.exports !== 'object') return null;
  for (const [subpath, entry] of Object.entries(owner.pkg.exports)) {
    if (exportTargets(entry).some((target) => path.resolve(owner.dir, target) === path.resolve(file))) {
      return subpath === '.' ? owner.pkg.name : `${owner.pkg.name}/${subpath.replace(/^\.\//, '')}`;
    }
  }
  return null;
}

/** The text of the first `# ` heading of a markdown file, or null. */
function firstHeading(markdown) {
  const match = /^#\s+(.+?)\s*#*\s*$/m.exec(markdown);
  return match ? match[1].replace(/`/g, '') : null;
}

/** Whether a comment's parts hold a fenced code block written as one in the source. */
function hasFencedCode(parts) {
  return parts.some((part) => part.kind === 'code' && /^```/.test(part.text) && !/^```\w*\n\s*`[^`]/.test(part.text));
}

/** Where a declaration starts (overload signatures count as their declaration). */
function location(reflection) {
  let owner = reflection;
  while (owner.parent && (owner.isSignature() || owner.isParameter?.() || !owner.sources?.length)) owner = owner.parent;
  const source = owner.sources?.[0];
  return source ? `${source.fileName}:${source.line} (${owner.getFullName()})` : owner.getFullName();
}

/** @param {import('typedoc').Application} app */
export function load(app) {
  const guideDir = path.resolve(app.options.getValue('basePath') || process.cwd(), 'docs/guide');

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.Module) || reflection.parent !== context.project) return;
    const file = context.getSymbolFromReflection(reflection)?.declarations?.[0]?.getSourceFile().fileName;
    if (!file) return;
    const name = importPathOf(file);
    if (name) reflection.name = name;
    else app.logger.error(`${path.relative(process.cwd(), file)} is a TypeDoc entry point that no package.json "exports" entry reaches: add the export or drop the entry point`);
  });

  /** The guide file a document was read from, or null for any other document. */
  const guideFile = (document) => {
    const file = document.project.files.getReflectionPath(document);
    return file && path.dirname(path.resolve(file)) === guideDir ? file : null;
  };

  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, document) => {
    const file = guideFile(document);
    if (file && path.basename(file) === 'README.md') document.name = 'Guide';
  });

  // Documents keep their file names in URLs (documents/Guide.guide_01-dual-numbers.html: the
  // router has assigned them by the time this runs) and show their headings in the navigation.
  app.renderer.on(RendererEvent.BEGIN, (event) => {
    for (const document of event.project.getReflectionsByKind(ReflectionKind.Document)) {
      const file = event.project.files.getReflectionPath(document);
      if (file && document.name !== 'Guide') document.name = firstHeading(readFileSync(file, 'utf8')) ?? document.name;
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const project = context.project;
    const documents = project.documents ?? [];
    const guide = documents.find((doc) => guideFile(doc) && path.basename(guideFile(doc)) === 'README.md');
    if (!guide) return;
    const pages = documents
      .filter((doc) => doc !== guide && guideFile(doc))
      .sort((a, b) => path.basename(guideFile(a)).localeCompare(path.basename(guideFile(b))));
    for (const page of pages) {
      project.removeChild(page);
      page.parent = guide;
      guide.addChild(page);
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    // Types of ours that the API uses but no entry point exports (3. above).
    const unlinked = new Map();
    for (const reflection of Object.values(context.project.reflections)) {
      for (const type of unlinkedReferences(reflection)) {
        if (isInternalDeclaration(context, type.symbolId) || unlinked.has(type.qualifiedName)) continue;
        const id = type.symbolId;
        unlinked.set(type.qualifiedName, `${id.packageName}/${id.packagePath} declares ${type.qualifiedName}, which ${location(reflection)} uses, but its package does not export it by name: add a type-only export to the package's entry point, or tag its declaration @internal`);
      }
    }
    for (const message of unlinked.values()) app.logger.warn(message);

    // Every export, and every public member of an exported class, says what it is; exports and
    // methods show how to call them.
    const own = (r) => [r.comment, ...(r.signatures ?? []).map((sig) => sig.comment), ...(r.getSignature ? [r.getSignature.comment] : [])].filter(Boolean);
    const ours = (r) => Boolean(r.sources?.some((source) => !source.fileName.includes('node_modules/')));
    const hasSummary = (r) => own(r).some((comment) => comment.summary.some((part) => part.text.trim() !== ''));
    const hasExample = (r) => own(r).some((comment) => comment.blockTags.some((tag) => tag.tag === '@example'));
    const missing = new Set();
    for (const module of context.project.children ?? []) {
      for (const child of module.children ?? []) {
        // A re-export is described where it is declared; a third party's export (viz's
        // graphvizVersion) by its own comment.
        if (child.kindOf(ReflectionKind.Reference) || !ours(child)) continue;
        // Members inherited from an undocumented base of ours (Scalar and Tensor share NodeBase)
        // count as the class's own; what comes from the platform (an Error's `stack`) or overrides
        // it (an error's `name`) needs nothing new.
        const members = child.kindOf(ReflectionKind.Class)
          ? (child.children ?? []).filter((m) => ours(m) && !m.inheritedFrom?.reflection && !m.overwrites && !m.kindOf(ReflectionKind.Constructor) && !m.flags.isPrivate && !m.flags.isProtected)
          : [];
        for (const r of [child, ...members]) {
          if (!hasSummary(r)) missing.add(`${location(r)}: no description; say in a doc comment what it is for`);
          if ((r === child || r.kindOf(ReflectionKind.Method)) && !hasExample(r)) {
            missing.add(`${location(r)}: no @example; show a call in a \`\`\`ts fence`);
          }
        }
      }
    }

    for (const message of [...missing].sort()) app.logger.warn(message);

    const offenders = [];
    for (const reflection of Object.values(context.project.reflections)) {
      for (const tag of reflection.comment?.blockTags ?? []) {
        if (tag.tag === '@example' && !hasFencedCode(tag.content)) offenders.push(location(reflection));
      }
    }
    for (const where of [...new Set(offenders)].sort()) {
      app.logger.warn(`${where}: @example without a fenced code block renders with stray backticks; write the example in a \`\`\`ts fence`);
    }
  });
}

/** The references in a reflection's own type to types of our packages that have no page. */
function unlinkedReferences(reflection) {
  const found = [];
  const visitor = makeRecursiveVisitor({
    reference(type) {
      const id = type.symbolId;
      if (!type.reflection && !type.refersToTypeParameter && id && /^@dualtape\//.test(id.packageName)) found.push(type);
    },
  });
  reflection.type?.visit(visitor);
  return found;
}

/** The top-level declaration a symbol id names, found in the programs being documented. */
function declarationOf(context, id) {
  if (!id?.fileName) return null;
  for (const program of context.programs ?? [context.program]) {
    const file = program.getSourceFile(id.fileName);
    const declaration = file?.statements.find((s) => s.name?.text === id.qualifiedName);
    if (declaration) return { declaration, program };
  }
  return null;
}

function isInternalDeclaration(context, id) {
  const found = declarationOf(context, id);
  return Boolean(found && ts.getJSDocTags(found.declaration).some((tag) => tag.tagName.text === 'internal'));
}

