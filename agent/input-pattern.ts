// Wildcards in an input's file name (`/var/log/av/*.json`, `eve-?.json`): which files a
// pattern names now. Only the last path segment may hold `*` (any run of characters but
// `/`) or `?` (one character); the folder is fixed, so a pattern is one readdir, and
// a file that appears later is found at the next look. Dot files match only a pattern
// that starts with a dot, as in a shell.
import fs from 'node:fs';
import path from 'node:path';

/** Whether an input path is a pattern rather than one file. */
export function isPattern(file: string): boolean {
  return /[*?]/.test(path.basename(file));
}

/** Whether the folder part holds a wildcard, which is not supported (named in the config error). */
export function hasFolderWildcard(file: string): boolean {
  return /[*?]/.test(path.dirname(file));
}

function matcher(name: string): RegExp {
  const body = [...name].map((char) => (char === '*' ? '[^/]*' : char === '?' ? '[^/]' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** The regular files the pattern names, sorted; none when the folder is missing or unreadable. */
export function expandPattern(pattern: string): string[] {
  const folder = path.dirname(pattern);
  const name = path.basename(pattern);
  const test = matcher(name);
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(folder, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && test.test(entry.name) && (name.startsWith('.') || !entry.name.startsWith('.')))
    .map((entry) => path.join(folder, entry.name))
    .filter((file) => {
      try {
        return fs.statSync(file).isFile();
      } catch {
        return false;
      }
    })
    .sort();
}
