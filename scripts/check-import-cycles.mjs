#!/usr/bin/env node
/**
 * Fails (exit 1) when src/ has an import cycle: between files, or between folders (a file of
 * notify/ importing render/ while a file of render/ imports notify/). Type-only imports count:
 * they tie the folders together as much as any. Files at the top of src/ (clock.ts,
 * messages.ts...) are each a node of their own, not one "root" folder.
 *
 * madge cannot parse TypeScript here (it needs the TypeScript 5 compiler API, which
 * TypeScript 7 no longer has), hence this reader of the import lines biome formats.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^;]*?\sfrom\s+'(\.[^']+)'|import\(\s*'(\.[^']+)'\s*\)/g;

/** Every `.ts` file under `root`, relative to it, with the relative files it imports. */
export function importGraph(root) {
  const files = readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((file) =>
    file.endsWith('.ts'),
  );
  const graph = new Map();
  for (const file of files) {
    const source = readFileSync(join(root, file), 'utf8');
    const targets = new Set();
    for (const match of source.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2];
      targets.add(normalize(join(dirname(file), specifier)).replace(/\.js$/, '.ts'));
    }
    graph.set(
      file,
      [...targets].filter((target) => files.includes(target)),
    );
  }
  return graph;
}

/** The folder a file belongs to for the folder check: its first folder, or itself at the top. */
export function folderOf(file) {
  const [first, ...rest] = file.split('/');
  return rest.length === 0 ? file : first;
}

/** `graph` collapsed to folders, without a folder's imports of itself. */
export function folderGraph(graph) {
  const folders = new Map();
  for (const [file, targets] of graph) {
    const from = folderOf(file);
    const edges = folders.get(from) ?? new Set();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    folders.set(from, edges);
  }
  return new Map([...folders].map(([folder, edges]) => [folder, [...edges]]));
}

/** Every cycle of `graph`, as its strongly connected components of more than one node (Tarjan). */
export function cyclesOf(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const cycles = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        visit(target);
        low.set(node, Math.min(low.get(node), low.get(target)));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node), index.get(target)));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component = [];
    let member;
    do {
      member = stack.pop();
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || (graph.get(node) ?? []).includes(node)) cycles.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return cycles;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = process.argv[2] ?? 'src';
  const files = importGraph(root);
  const problems = [
    ...cyclesOf(files).map((cycle) => `files: ${cycle.join(' <-> ')}`),
    ...cyclesOf(folderGraph(files)).map((cycle) => `folders: ${cycle.join(' <-> ')}`),
  ];
  if (problems.length > 0) {
    process.stderr.write(
      `Import cycles in ${relative('.', root) || '.'}:\n${problems.map((p) => `  ${p}\n`).join('')}`,
    );
    process.exit(1);
  }
  process.stdout.write(`No import cycles in ${root} (${files.size} files)\n`);
}
