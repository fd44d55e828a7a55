// No import cycles among src/ files, run-time or type-only: a cycle means two modules cannot be
// understood (or loaded, or moved) one without the other. A walk of the import graph, with the
// imports TypeScript itself finds in each file (`import`, `import type`, `export … from`, `import()`).

import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const ROOT = join(__dirname, '..', '..');
const SRC = join(ROOT, 'src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The src/ files one file imports (relative specifiers only: packages cannot be in a cycle with us). */
export function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  const out: string[] = [];
  for (const { fileName } of info.importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const base = resolve(dirname(file), fileName);
    const target = [`${base}.ts`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && statSync(candidate).isFile());
    if (target?.endsWith('.ts')) out.push(target);
  }
  return out;
}

/** Every cycle's files, one list per strongly connected component of more than one file (or a self-import). */
export function importCycles(files: string[], edges: (file: string) => string[]): string[][] {
  // Tarjan's strongly connected components, iterative enough for a source tree.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    for (const next of edges(file)) {
      if (!index.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, index.get(next)!));
      }
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges(file).includes(file)) cycles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return cycles;
}

describe('import graph of src/', () => {
  it('finds a cycle when there is one (the walk itself works)', () => {
    const graph: Record<string, string[]> = { a: ['b'], b: ['c'], c: ['a'], d: ['a'], e: ['e'], f: [] };
    assert.deepEqual(importCycles(Object.keys(graph), (f) => graph[f]), [['a', 'b', 'c'], ['e']]);
  });

  it('sees type-only imports and re-exports as edges', () => {
    const file = join(SRC, 'shared', 'validation', 'explorerValidation.ts');
    const imported = importsOf(file).map((f) => relative(SRC, f));
    assert.ok(imported.includes(join('shared', 'webviewApi.ts')), `import type is an edge: ${imported.join(', ')}`);
    assert.ok(imported.includes(join('shared', 'validation', 'checks.ts')), `export … from is an edge: ${imported.join(', ')}`);
  });

  it('has no cycle among src/ files, run-time or type-only', () => {
    const files = sourceFiles(SRC);
    assert.ok(files.length > 100, `found only ${files.length} files`);
    const graph = new Map(files.map((f) => [f, importsOf(f)]));
    const cycles = importCycles(files, (f) => graph.get(f) ?? []);
    assert.deepEqual(
      cycles.map((c) => c.map((f) => relative(ROOT, f))),
      [],
      'each list is a set of files that import each other, directly or not',
    );
  });
});
