// Follows the runtime imports of a TypeScript entry point through the repository: every
// source file it loads (static and dynamic imports, and worker threads started with
// `new URL('./x.ts', import.meta.url)`) and every npm package it needs at run time.
// Type-only imports are skipped: they vanish when tsx runs the code.
import { builtinModules } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

export interface ImportGraph {
  /** Repository-relative paths of the source files loaded. */
  files: Set<string>;
  /** npm package names imported at run time. */
  packages: Set<string>;
}

const builtins = new Set(builtinModules);

const specifierPattern =
  /(?:^|[;\n])\s*(import|export)\s+(type\s+)?(?:[^;'"]*?\sfrom\s*)?['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|new URL\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*,\s*import\.meta\.url/g;

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export function importGraph(repoRoot: string, entry: string): ImportGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [path.resolve(repoRoot, entry)];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const relative = path.relative(repoRoot, file);
    if (files.has(relative)) continue;
    files.add(relative);
    const text = fs.readFileSync(file, 'utf8');
    for (const match of text.matchAll(specifierPattern)) {
      if (match[2] !== undefined) continue; // import type / export type
      const specifier = match[3] ?? match[4] ?? match[5]!;
      if (specifier.startsWith('.')) {
        const target = path.resolve(path.dirname(file), specifier);
        if (/\.(ts|tsx|js|mjs)$/.test(target) && fs.existsSync(target)) pending.push(target);
      } else if (!specifier.startsWith('node:') && !builtins.has(packageName(specifier))) {
        packages.add(packageName(specifier));
      }
    }
  }
  return { files, packages };
}
