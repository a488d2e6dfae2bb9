// What both client wrappers need to reach a cluster, read once at open: node URLs,
// basic-auth credentials and the CA that signed the cluster's certificate.
import fs from 'node:fs';
import { BadInputError } from '../../errors.ts';

export interface ClientConnectionOptions {
  nodes: string[];
  username?: string;
  password?: string;
  tlsCaFile?: string;
}

/** Basic auth when both halves are given; half a credential is a configuration mistake. */
export function basicAuth(options: ClientConnectionOptions): { username: string; password: string } | undefined {
  const { username, password } = options;
  if (username === undefined && password === undefined) return undefined;
  if (username === undefined || password === undefined) {
    throw new BadInputError('search store: give both a username and a password, or neither', 'config');
  }
  return { username, password };
}

export function readCa(options: ClientConnectionOptions): string | undefined {
  if (options.tlsCaFile === undefined) return undefined;
  try {
    return fs.readFileSync(options.tlsCaFile, 'utf8');
  } catch (error) {
    throw new BadInputError(`search store: cannot read the TLS CA file ${options.tlsCaFile}: ${String(error)}`, 'config');
  }
}
