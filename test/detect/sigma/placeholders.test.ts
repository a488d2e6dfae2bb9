// The expand modifier's placeholders come from the rules folder's placeholders.yml:
// rules there see them (lint, match and the running detector all load folders this way),
// and a broken file is a located error, not a crash.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, matchEvent } from '../../../detect/sigma/rule-set.ts';
import { securityEventSchema } from '../../../core/schemas/event.ts';

function rulesDir(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vigil-placeholders-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

const rule = `title: Logon by a SOC admin account
id: 5a1c3f0e-0000-4000-8000-000000000001
detection:
  selection:
    user.name|expand: '%soc_admins%'
  condition: selection
`;

const event = (user: string) =>
  securityEventSchema.parse({
    '@timestamp': '2026-11-22T00:00:00Z',
    event: { id: `e-${user}`, ingested: '2026-11-22T00:00:00Z' },
    organization: { id: 'u', name: 'u' },
    user: { name: user },
  });

describe('placeholders.yml', () => {
  it('gives expand its values, and is not itself taken for a rule', () => {
    const dir = rulesDir({ 'admin-logon.yml': rule, 'placeholders.yml': 'soc_admins:\n  - soc-admin\n  - root\n' });
    const ruleSet = loadRuleSet(dir);
    expect(ruleSet.errors).toEqual([]);
    expect(ruleSet.rules).toHaveLength(1);
    expect(matchEvent(ruleSet, event('ROOT')).map((r) => r.id)).toEqual(['5a1c3f0e-0000-4000-8000-000000000001']);
    expect(matchEvent(ruleSet, event('alice'))).toEqual([]);
  });

  it('reports a rule whose placeholder is not configured', () => {
    const ruleSet = loadRuleSet(rulesDir({ 'admin-logon.yml': rule }));
    expect(ruleSet.rules).toHaveLength(0);
    expect(ruleSet.errors[0]?.message).toMatch(/admin-logon\.yml:\d+:\d+: .*soc_admins/);
  });

  it('reports a malformed placeholders file with its line', () => {
    const ruleSet = loadRuleSet(rulesDir({ 'placeholders.yml': 'soc_admins: []\nother:\n  - a\n' }));
    expect(ruleSet.errors[0]?.message).toMatch(/placeholders\.yml:1:\d+: placeholders soc_admins: give at least one value/);
  });
});
