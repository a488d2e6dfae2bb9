// FROZEN COPY of detect/intel/normalize-url.ts as of 6361308, before the matcher was made cheaper:
// the reference intel-matcher-equivalence.test.ts compares today's matcher against.
// Do not edit or "fix": its answers are the behaviour the matcher must keep.
// The one form a URL is compared in, for listed URLs and event URLs alike:
// `host[:port]/path?query`. The scheme is dropped (a listed payload URL is as bad over
// https as over http), the host lower-cased without a trailing dot, user info, a
// default port and the fragment removed, and a bare `/` path dropped. Path and query
// keep their case: servers treat them as case-sensitive.

const DEFAULT_PORTS: Readonly<Record<string, string>> = { http: '80', https: '443', ftp: '21', ws: '80', wss: '443' };
const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;

/** The normalised URL, or undefined when `text` has no host (a bare path such as `/index.php`). */
export function normalizeUrl(text: string): string | undefined {
  let rest = text.trim();
  let scheme = '';
  const found = SCHEME.exec(rest);
  if (found !== null) {
    scheme = found[1]!.toLowerCase();
    rest = rest.slice(found[0].length);
  }
  if (rest === '' || rest.charCodeAt(0) === 47 /* / */) return undefined;
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const code = rest.charCodeAt(i);
    if (code === 47 || code === 63 || code === 35) {
      end = i;
      break;
    }
  }
  let authority = rest.slice(0, end);
  let tail = rest.slice(end);
  const at = authority.lastIndexOf('@');
  if (at >= 0) authority = authority.slice(at + 1);
  let host = authority;
  let port = '';
  const colon = authority.lastIndexOf(':');
  if (colon >= 0 && !authority.endsWith(']') && /^\d+$/.test(authority.slice(colon + 1))) {
    host = authority.slice(0, colon);
    port = authority.slice(colon + 1);
  }
  host = host.toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host === '' || /\s/.test(host)) return undefined;
  if (port !== '' && DEFAULT_PORTS[scheme] === port) port = '';
  const hash = tail.indexOf('#');
  if (hash >= 0) tail = tail.slice(0, hash);
  if (tail === '/') tail = '';
  return port === '' ? host + tail : `${host}:${port}${tail}`;
}
