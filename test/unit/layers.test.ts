// The import graph of src/: no file may reach itself through its imports. A cycle (a strongly
// connected component of more than one file) means no order in which the files can be read,
// tested or layered one on another. Type-only imports count: they tie the files together too.
// (Which folder may import which is a further rule, for when the folders are the layers.)
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import * as ts from 'typescript';
import { ROOT } from './helpers';

const SRC = path.join(ROOT, 'src');

/** Every .ts file under src/ (declaration files included), relative to src/ with '/' separators. */
function sourceFiles(): string[] {
  return (fs.readdirSync(SRC, { recursive: true }) as string[])
    .map((f) => f.split(path.sep).join('/'))
    .filter((f) => f.endsWith('.ts') && fs.statSync(path.join(SRC, f)).isFile())
    .sort();
}

/** The file a relative specifier names (`./x`, `./x.js`, `./dir` for `./dir/index.ts`), or undefined. */
function resolve(from: string, spec: string, files: Set<string>): string | undefined {
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
  const stem = base.replace(/\.js$/, '');
  return [base, `${stem}.ts`, `${stem}.d.ts`, `${base}/index.ts`].find((f) => files.has(f));
}

/** file -> the src/ files it imports (imports, re-exports, import(), require(); comments are not imports). */
function importGraph(): { graph: Map<string, string[]>; unresolved: string[] } {
  const list = sourceFiles();
  const files = new Set(list);
  const graph = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of list) {
    const info = ts.preProcessFile(fs.readFileSync(path.join(SRC, file), 'utf8'), true, true);
    const targets = new Set<string>();
    for (const { fileName: spec } of info.importedFiles) {
      if (!spec.startsWith('.')) continue; // vscode, node:*, packages
      const target = resolve(file, spec, files);
      if (target) targets.add(target);
      else if (!path.posix.normalize(path.posix.join(path.posix.dirname(file), spec)).startsWith('..')) unresolved.push(`${file}: ${spec}`);
    }
    graph.set(file, [...targets].sort());
  }
  return { graph, unresolved };
}

/** Tarjan's strongly connected components, each sorted, in a stable order. */
function stronglyConnected(graph: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      out.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => a[0].localeCompare(b[0]));
}

/** One import path that goes round the component: a -> b -> ... -> a. */
function oneCycle(component: string[], graph: Map<string, string[]>): string {
  const inside = new Set(component);
  const start = component[0];
  // Breadth-first from start's imports back to start, within the component.
  const previous = new Map<string, string>();
  const queue = (graph.get(start) ?? []).filter((w) => inside.has(w));
  for (const w of queue) previous.set(w, start);
  for (let i = 0; i < queue.length && !previous.has(`${start}#back`); i++) {
    for (const w of graph.get(queue[i]) ?? []) {
      if (w === start) previous.set(`${start}#back`, queue[i]);
      else if (inside.has(w) && !previous.has(w)) {
        previous.set(w, queue[i]);
        queue.push(w);
      }
    }
  }
  const route = [start];
  for (let v = previous.get(`${start}#back`); v !== undefined && v !== start; v = previous.get(v)) route.unshift(v);
  route.unshift(start);
  return route.join(' -> ');
}

test('the import graph of src/ has no cycles', () => {
  const { graph, unresolved } = importGraph();
  assert.ok(graph.size >= 50, 'src/ is where we expect it');
  assert.ok([...graph.keys()].some((f) => f.startsWith('engine/wasm/')), 'the subfolders are read too');
  assert.ok((graph.get('extension.ts') ?? []).length > 0, 'imports are read');
  assert.deepEqual(unresolved, [], 'every relative import names a file under src/');
  const cycles = stronglyConnected(graph)
    .filter((c) => c.length > 1)
    .map((c) => `${c.length} files: ${c.join(', ')}\n    e.g. ${oneCycle(c, graph)}`);
  assert.deepEqual(cycles, [], `import cycles in src/:\n  ${cycles.join('\n  ')}`);
});

test('the cycle check finds a cycle when there is one', () => {
  // The same functions on a made-up graph: a -> b -> c -> a, and d -> a outside the cycle.
  const graph = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
  const components = stronglyConnected(graph).filter((c) => c.length > 1);
  assert.deepEqual(components, [['a', 'b', 'c']]);
  assert.equal(oneCycle(components[0], graph), 'a -> b -> c -> a');
});

/**
 * The folders of src/ are the layers, lowest first; a file imports only from its own folder
 * or from folders before it (README, "Development notes"). engine is pure; worker is the
 * queue, the protocol and the client the extension uses; then the features, each free to use
 * the ones before it; then what only the command line needs; the root files wire it together.
 */
const LAYERS = ['engine', 'worker', 'models', 'completion', 'panel', 'webview', 'statusBar', 'eval', 'node', 'cli', '.'];
const layerOf = (file: string) => (file.includes('/') ? file.slice(0, file.indexOf('/')) : '.');

/** The imports that go up a layer: "from -> to". */
function upwardImports(graph: Map<string, string[]>): string[] {
  const rank = (f: string) => LAYERS.indexOf(layerOf(f));
  const up: string[] = [];
  for (const [from, targets] of graph) for (const to of targets) if (rank(to) > rank(from)) up.push(`${from} -> ${to}`);
  return up;
}

test('no import runs from a lower layer to a higher one', () => {
  const { graph } = importGraph();
  const unknown = [...new Set([...graph.keys()].map(layerOf))].filter((l) => !LAYERS.includes(l));
  assert.deepEqual(unknown, [], 'every folder of src/ has its place in LAYERS');
  const up = upwardImports(graph);
  assert.deepEqual(up, [], `imports from a lower layer to a higher one:\n  ${up.join('\n  ')}`);
});

test('the layer check finds an upward import when there is one', () => {
  const graph = new Map([['engine/gpt.ts', ['worker/protocol.ts']], ['worker/protocol.ts', ['engine/gpt.ts']], ['setup.ts', ['panel/x.ts']]]);
  assert.deepEqual(upwardImports(graph), ['engine/gpt.ts -> worker/protocol.ts']);
});
