// The TAXII feeds file (VIGIL_TAXII_CONFIG) and the intel settings: a good file gives
// each feed its defaults and its basic-auth header (the password may come from an
// environment variable); a bad one is refused with every problem, located, at once.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.ts';
import { loadTaxiiConfig, TaxiiConfigError } from '../../../detect/intel/taxii-config.ts';
import { makeTempDir } from '../../support/start-vigil.ts';

function file(text: string): string {
  const target = path.join(makeTempDir('vigil-taxii-config-'), 'taxii.yml');
  fs.writeFileSync(target, text);
  return target;
}

describe('TAXII feeds file', () => {
  it('reads feeds with their defaults and a basic-auth header from an environment variable', () => {
    const feeds = loadTaxiiConfig(
      file('feeds:\n  - name: partner\n    discovery: https://taxii.example.org/taxii2/\n    username: vigil\n    password_env: PARTNER_PASS\n    collections: [abc]\n'),
      { PARTNER_PASS: 'secret' },
    );
    expect(feeds).toEqual([
      {
        name: 'partner',
        discovery: 'https://taxii.example.org/taxii2/',
        collections: ['abc'],
        authorization: `Basic ${Buffer.from('vigil:secret').toString('base64')}`,
        intervalMs: 3_600_000,
        pageSize: 1000,
        timeoutMs: 60_000,
      },
    ]);
  });

  it('reports every problem at once, each at its path', () => {
    const bad = file(
      'feeds:\n  - name: a\n    discovery: ftp://x\n  - name: b\n    discovery: https://x.example/\n    password_env: MISSING\n    username: u\n  - name: b\n    discovery: https://y.example/\n',
    );
    expect(() => loadTaxiiConfig(bad, {})).toThrow(TaxiiConfigError);
    try {
      loadTaxiiConfig(bad, {});
    } catch (error) {
      expect((error as TaxiiConfigError).message).toContain('feeds.0.discovery');
    }
    const twice = file('feeds:\n  - name: b\n    discovery: https://x.example/\n    password_env: MISSING\n    username: u\n  - name: b\n    discovery: https://y.example/\n');
    expect(() => loadTaxiiConfig(twice, {})).toThrow(`${twice}: feeds.0.password_env: MISSING is not set; feeds.1.name: 'b' is used twice`);
  });

  it('is found through VIGIL_TAXII_CONFIG; the lists live in the rules folder\'s intel/', () => {
    const config = loadConfig({ VIGIL_RULES_DIR: '/srv/vigil/rules', VIGIL_TAXII_CONFIG: '/etc/vigil/taxii.yml', VIGIL_INTEL_MAX_INDICATORS: '2000000' });
    expect(config.intel).toEqual({ dir: '/srv/vigil/rules/intel', taxiiConfig: '/etc/vigil/taxii.yml', maxIndicators: 2_000_000 });
    expect(loadConfig({}).intel).toMatchObject({ taxiiConfig: undefined, maxIndicators: 5_000_000 });
  });
});
