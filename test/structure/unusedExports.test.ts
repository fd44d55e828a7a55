// No dead code behind an `export`: the compiler and the linter see unused locals, but an exported
// function, constant or type that no file imports (nor uses in its own file) is dead all the same.
// Imports are read with TypeScript's parser from src/, test/, bench/ and scripts/; a namespace
// import, `export *`, `require()` or `import()` of a module counts as using all of it.

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
/** Entry points VS Code (not a file of ours) calls. */
const ENTRY_POINTS: Record<string, string[]> = { 'src/extension/extension.ts': ['activate', 'deactivate'] };

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    if (statSync(path).isDirectory()) return walk(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

function target(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

interface Graph {
  /** Names each file exports. */
  exported: Map<string, string[]>;
  /** Names other files import from each file. */
  imported: Map<string, Set<string>>;
  /** Files some other file takes whole. */
  whole: Set<string>;
}

function readGraph(files: string[]): Graph {
  const graph: Graph = { exported: new Map(), imported: new Map(), whole: new Set() };
  const use = (file: string | undefined, name: string): void => {
    if (!file) return;
    if (!graph.imported.has(file)) graph.imported.set(file, new Set());
    graph.imported.get(file)!.add(name);
  };
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const names: string[] = [];
    for (const node of source.statements) {
      const isExported = ts.canHaveModifiers(node) && ts.getModifiers(node)?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
      if (isExported) {
        if (ts.isVariableStatement(node)) {
          for (const declaration of node.declarationList.declarations) if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
        } else if ('name' in node && node.name && ts.isIdentifier(node.name as ts.Node)) {
          names.push((node.name as ts.Identifier).text);
        }
      }
      if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
        const from = target(file, node.moduleSpecifier.text);
        if (!from) continue;
        if (ts.isImportDeclaration(node)) {
          const bindings = node.importClause?.namedBindings;
          if (node.importClause?.name) use(from, 'default');
          if (bindings && ts.isNamespaceImport(bindings)) graph.whole.add(from);
          else if (bindings) for (const element of bindings.elements) use(from, (element.propertyName ?? element.name).text);
        } else if (!node.exportClause) {
          graph.whole.add(from);
        } else if (ts.isNamedExports(node.exportClause)) {
          for (const element of node.exportClause.elements) use(from, (element.propertyName ?? element.name).text);
        }
      }
    }
    for (const match of text.matchAll(/(?:require|import)\('([^']+)'\)/g)) {
      const from = target(file, match[1]);
      if (from) graph.whole.add(from);
    }
    graph.exported.set(file, names);
  }
  return graph;
}

/** Exports of `files` that nothing uses: not imported elsewhere, and not used in their own file either. */
function unusedExports(graph: Graph, files: string[], read: (file: string) => string = (file) => readFileSync(file, 'utf8')): string[] {
  const unused: string[] = [];
  for (const file of files) {
    if (graph.whole.has(file)) continue;
    const key = relative(ROOT, file).split('\\').join('/');
    const text = read(file);
    for (const name of graph.exported.get(file) ?? []) {
      if (graph.imported.get(file)?.has(name) || ENTRY_POINTS[key]?.includes(name)) continue;
      const usesInFile = text.match(new RegExp(`\\b${name}\\b`, 'g'))?.length ?? 0;
      if (usesInFile < 2) unused.push(`${key}: ${name}`);
    }
  }
  return unused;
}

describe('unused code', () => {
  it('has no export in src/ that nothing uses', () => {
    const everything = ['src', 'test', 'bench', 'scripts'].filter((d) => existsSync(join(ROOT, d))).flatMap((d) => walk(join(ROOT, d)));
    const graph = readGraph(everything);
    const src = everything.filter((f) => relative(ROOT, f).startsWith('src'));
    assert.ok(src.length > 100);
    assert.deepEqual(unusedExports(graph, src), []);
  });

  it('notices an export nobody uses (the check itself works)', () => {
    const probe = join(ROOT, 'src', 'probe.ts');
    const graph: Graph = { exported: new Map([[probe, ['used', 'usedHere', 'unused']]]), imported: new Map([[probe, new Set(['used'])]]), whole: new Set() };
    // `used` is imported elsewhere, `usedHere` is used in its own file, `unused` by no one.
    const text = 'export const used = 1; export const usedHere = 2; export const unused = usedHere;';
    assert.deepEqual(unusedExports(graph, [probe], () => text), ['src/probe.ts: unused']);
    assert.deepEqual(unusedExports({ ...graph, whole: new Set([probe]) }, [probe], () => text), [], 'a namespace import takes it whole');
  });
});
