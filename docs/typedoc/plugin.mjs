// TypeDoc plugin for dualtape's API reference (loaded by typedoc.json). It does three things the
// options cannot:
//
// 1. Names each entry-point module after the import path a user writes (`@dualtape/core`,
//    `@dualtape/core/testing`), read from the nearest package.json's `exports` map, instead of the
//    path TypeDoc derives (`core/src`). An entry point that no export reaches is an error: it would
//    document something nobody can import.
// 2. Turns docs/guide/*.md into one "Guide" document (the guide's README) with the numbered pages
//    as its children, in file-name order, so a page added to the guide shows up in order without
//    touching this configuration; every document is titled by its first `# ` heading.
// 3. Documents the unexported type behind an exported alias (`type TransformOptions = TapeOptions`)
//    in the alias's module: the compiler prints the target's name in every signature, so without
//    a page for it no transform could link to its options.
// 4. Gives a Tensor or Scalar method with no comment of its own the comment of the function of the
//    same name (every op is both: `relu(x)` and `x.relu()`), minus the @param tags of the function's
//    operand, so the method pages describe what they compute.
// 5. Warns about types of the public API that are declared in our packages but not exported
//    (TypeDoc's own notExported validation misses them here): the docs can show their name but
//    cannot link to a page that says what they hold.
// 6. Warns about exports (and methods of exported classes) with no description at all.
// 7. Warns about `@example` blocks with no fenced code block. TypeDoc renders such a block as code
//    verbatim, so `@example \`relu(x)\`` shows the backticks; the fix is in the source comment
//    (a ```ts fence), and `pnpm run docs:strict` turns these warnings into a failing build.
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

  app.converter.on(Converter.EVENT_CREATE_DECLARATION, (context, reflection) => {
    if (!reflection.kindOf(ReflectionKind.TypeAlias)) return;
    const declaration = context.getSymbolFromReflection(reflection)?.declarations?.[0];
    const typeName = declaration?.type?.typeName;
    if (!typeName || declaration.type.typeArguments) return;
    let target = context.checker.getSymbolAtLocation(typeName);
    if (target && target.flags & ts.SymbolFlags.Alias) target = context.checker.getAliasedSymbol(target);
    if (!target?.declarations?.some((d) => ts.isInterfaceDeclaration(d))) return;
    if (context.project.getReflectionFromSymbolId(context.createSymbolId(target))) return;
    context.converter.convertSymbol(context.withScope(reflection.parent), target);
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

  const borrowed = new WeakSet();
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const module of context.project.children ?? []) {
      const functions = new Map((module.children ?? []).filter((c) => c.kindOf(ReflectionKind.Function | ReflectionKind.Variable)).map((c) => [c.name, c]));
      for (const owner of module.children ?? []) {
        if (!owner.kindOf(ReflectionKind.Class)) continue;
        for (const method of owner.children ?? []) {
          const source = functions.get(method.name);
          if (!method.kindOf(ReflectionKind.Method) || !source) continue;
          const comment = source.comment ?? source.signatures?.find((signature) => signature.comment)?.comment;
          if (!comment) continue;
          for (const signature of method.signatures ?? []) {
            if (signature.comment || method.comment) continue;
            signature.comment = comment.clone();
            borrowed.add(signature); // its @example is the function's: warn about it once, there
            signature.comment.blockTags = signature.comment.blockTags.filter((tag) => tag.tag !== '@param' && tag.tag !== '@typeParam');
          }
        }
      }
    }
  });

  app.converter.on(Converter.EVENT_RESOLVE_END, (context) => {
    const unlinked = new Map();
    for (const reflection of Object.values(context.project.reflections)) {
      const visitor = makeRecursiveVisitor({
        reference(type) {
          const id = type.symbolId;
          if (type.reflection || type.refersToTypeParameter || !id || !/^@dualtape\//.test(id.packageName) || unlinked.has(type.qualifiedName)) return;
          unlinked.set(type.qualifiedName, `${id.packageName}/${id.packagePath} declares ${type.qualifiedName}, which ${location(reflection)} uses, but the package does not export it: export it so the docs can link to it`);
        },
      });
      reflection.type?.visit(visitor);
    }
    for (const message of unlinked.values()) app.logger.warn(message);

    // Every export, and every method of an exported class, says what it is.
    const hasSummary = (r) => Boolean(r.comment?.summary.length) || Boolean(r.signatures?.some((sig) => sig.comment?.summary.length));
    for (const module of context.project.children ?? []) {
      for (const child of module.children ?? []) {
        if (child.kindOf(ReflectionKind.Reference)) continue; // a re-export: described where it is declared
        const members = child.kindOf(ReflectionKind.Class) ? (child.children ?? []).filter((m) => m.kindOf(ReflectionKind.Method) && !m.inheritedFrom) : [];
        for (const r of [child, ...members]) {
          if (!hasSummary(r)) app.logger.warn(`${location(r)}: no description; say in a doc comment what it is for`);
        }
      }
    }

    const offenders = [];
    for (const reflection of Object.values(context.project.reflections)) {
      if (borrowed.has(reflection)) continue;
      for (const tag of reflection.comment?.blockTags ?? []) {
        if (tag.tag === '@example' && !hasFencedCode(tag.content)) offenders.push(location(reflection));
      }
    }
    for (const where of [...new Set(offenders)].sort()) {
      app.logger.warn(`${where}: @example without a fenced code block renders with stray backticks; write the example in a \`\`\`ts fence`);
    }
  });
}
