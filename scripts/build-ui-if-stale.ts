// Builds the console with vite when ui/dist is missing or older than its sources, so
// `npm start` on a fresh clone serves a console without a separate build step, and a
// second start does not pay for a rebuild.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const uiDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'ui');
const builtIndex = path.join(uiDir, 'dist', 'index.html');

function newestSourceTime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceTime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

if (!fs.existsSync(builtIndex) || fs.statSync(builtIndex).mtimeMs < newestSourceTime(uiDir)) {
  process.stderr.write('Building the console (ui/dist)…\n');
  await build({ configFile: path.join(uiDir, 'vite.config.ts'), logLevel: 'warn' });
}
