import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

/**
 * The import graph of the product's own code (ARCHITECTURE.md's invariants): no import circle anywhere, type-only
 * imports included, and `lambdas/core/` imports nothing outside itself (npm packages and node built-ins are fine).
 */

const ROOT = path.resolve(__dirname, '../..');
const PRODUCT_DIRS = ['lambdas', 'lib', 'bin'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.d.ts') ? [full] : [];
  });
}

function resolveImport(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined; // a package or a node built-in
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((candidate) => existsSync(candidate));
}

/** Every product file and the product files it imports (static imports, re-exports, `import type`, require). */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of PRODUCT_DIRS.flatMap((dir) => tsFiles(path.join(ROOT, dir)))) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((ref) => resolveImport(file, ref.fileName));
    graph.set(
      file,
      targets.filter((target): target is string => target !== undefined),
    );
  }
  return graph;
}

/** Strongly connected components with more than one file (or a file importing itself): the import circles. */
function circles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const indexOf = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (file: string): void => {
    indexOf.set(file, index);
    low.set(file, index++);
    stack.push(file);
    onStack.add(file);
    for (const next of graph.get(file) ?? []) {
      if (!indexOf.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(file, Math.min(low.get(file)!, indexOf.get(next)!));
      }
    }
    if (low.get(file) !== indexOf.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) found.push(component);
  };
  for (const file of graph.keys()) if (!indexOf.has(file)) visit(file);
  return found;
}

const relative = (file: string) => path.relative(ROOT, file);

describe('architecture', () => {
  const graph = importGraph();

  it('reads the whole product', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get(path.join(ROOT, 'lambdas/core/alerting/policy.ts'))).toContain(
      path.join(ROOT, 'lambdas/core/alert-id.ts'),
    );
  });

  it('has no import circle, type-only imports included', () => {
    expect(circles(graph).map((component) => component.map(relative).sort())).toEqual([]);
  });

  it('lambdas/core imports nothing outside lambdas/core', () => {
    const core = path.join(ROOT, 'lambdas/core') + path.sep;
    const outside = [...graph]
      .filter(([file]) => file.startsWith(core))
      .flatMap(([file, targets]) =>
        targets.filter((t) => !t.startsWith(core)).map((t) => `${relative(file)} → ${relative(t)}`),
      );
    expect(outside).toEqual([]);
  });
});
