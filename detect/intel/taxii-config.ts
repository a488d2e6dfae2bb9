// The TAXII 2.1 feeds to pull, from the YAML file VIGIL_TAXII_CONFIG names:
//
//   feeds:
//     - name: partner-soc                  # the list (and default source) of its indicators
//       discovery: https://taxii.example.org/taxii2/
//       api_root: https://taxii.example.org/api1/   # optional; default: the server's default, else every api root
//       collections: [91a7b528-80eb-42ed-a74d-c6fbd5a26116]  # optional; default: every readable one
//       username: vigil                    # basic auth, optional
//       password_env: PARTNER_TAXII_PASSWORD   # or password: ...; an env variable keeps it out of the file
//       interval_minutes: 60
//       page_size: 1000
//
// Validated with zod; every problem is reported at once, located by its path.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { z } from 'zod';
import { VigilError } from '../../core/errors.ts';

const feedSchema = z
  .object({
    name: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits, _ . - (at most 64)'),
    discovery: z.url({ protocol: /^https?$/ }),
    api_root: z.url({ protocol: /^https?$/ }).optional(),
    collections: z.array(z.string().min(1)).min(1).optional(),
    username: z.string().min(1).optional(),
    password: z.string().optional(),
    password_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).optional(),
    interval_minutes: z.number().min(1).max(7 * 24 * 60).default(60),
    page_size: z.number().int().min(1).max(10_000).default(1000),
    timeout_seconds: z.number().min(1).max(600).default(60),
  })
  .strict();

const taxiiFileSchema = z.object({ feeds: z.array(feedSchema) }).strict();

export interface TaxiiFeed {
  readonly name: string;
  readonly discovery: string;
  readonly apiRoot?: string;
  readonly collections?: readonly string[];
  /** `Basic ...` header value, when the feed has a user. */
  readonly authorization?: string;
  readonly intervalMs: number;
  readonly pageSize: number;
  readonly timeoutMs: number;
}

export class TaxiiConfigError extends VigilError {
  constructor(file: string, problems: string[]) {
    super('bad_taxii_config', `${file}: ${problems.join('; ')}`, 'detect', 500, { file, problems });
    this.name = 'TaxiiConfigError';
  }
}

export function loadTaxiiConfig(file: string, env: NodeJS.ProcessEnv = process.env): TaxiiFeed[] {
  let document: unknown;
  try {
    document = parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new TaxiiConfigError(file, [(error as Error).message]);
  }
  const parsed = taxiiFileSchema.safeParse(document ?? { feeds: [] });
  if (!parsed.success) throw new TaxiiConfigError(file, parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const problems: string[] = [];
  const names = new Set<string>();
  const feeds = parsed.data.feeds.map((feed, i) => {
    if (names.has(feed.name)) problems.push(`feeds.${i}.name: '${feed.name}' is used twice`);
    names.add(feed.name);
    let password = feed.password;
    if (feed.password_env !== undefined) {
      password = env[feed.password_env];
      if (password === undefined) problems.push(`feeds.${i}.password_env: ${feed.password_env} is not set`);
    }
    if (password !== undefined && feed.username === undefined) problems.push(`feeds.${i}: a password needs a username`);
    return {
      name: feed.name,
      discovery: feed.discovery,
      ...(feed.api_root === undefined ? {} : { apiRoot: feed.api_root }),
      ...(feed.collections === undefined ? {} : { collections: feed.collections }),
      ...(feed.username === undefined ? {} : { authorization: `Basic ${Buffer.from(`${feed.username}:${password ?? ''}`).toString('base64')}` }),
      intervalMs: feed.interval_minutes * 60_000,
      pageSize: feed.page_size,
      timeoutMs: feed.timeout_seconds * 1000,
    };
  });
  if (problems.length > 0) throw new TaxiiConfigError(file, problems);
  return feeds;
}
