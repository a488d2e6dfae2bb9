// Sigma rules can use an intel list by name: `%intel_<list>%` in a value with the
// `expand` modifier stands for every value of the list in the rules folder's intel/
// (non-word characters of the list's name become `_`). placeholders.yml still works
// beside it, and wins for a name it defines too.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRuleSet, matchEvent } from '../../../detect/sigma/rule-set.ts';
import { makeTempDir } from '../../support/start-vigil.ts';
import { securityEvent } from '../security-event-fixture.ts';

const RULE = `title: Query for a domain of the phishing list
id: 0b6c1d3e-0000-4000-8000-0000000000a1
status: test
detection:
  selection:
    dns.question.name|expand|endswith: '%intel_phishing_domains%'
  condition: selection
level: high
`;

describe('%intel_<list>% placeholders', () => {
  it('expand to the values of the intel list of that name', () => {
    const rulesDir = makeTempDir('vigil-intel-placeholder-');
    fs.writeFileSync(path.join(rulesDir, 'phishing-dns.yml'), RULE);
    fs.mkdirSync(path.join(rulesDir, 'intel'));
    fs.writeFileSync(path.join(rulesDir, 'intel', 'phishing-domains.csv'), 'indicator,type\nvcb-digibank-verify.com,domain\nACB-otp-confirm.com,domain\n');
    fs.writeFileSync(path.join(rulesDir, 'placeholders.yml'), 'soc_admins: [root]\n');
    const ruleSet = loadRuleSet(rulesDir);
    expect(ruleSet.errors).toEqual([]);
    const fired = (name: string) => matchEvent(ruleSet, securityEvent({ dns: { question: { name } } })).map((rule) => rule.title);
    expect(fired('login.vcb-digibank-verify.com')).toEqual(['Query for a domain of the phishing list']);
    expect(fired('acb-otp-confirm.com')).toEqual(['Query for a domain of the phishing list']);
    expect(fired('vietcombank.com.vn')).toEqual([]);
  });

  it('name the list in the error when it does not exist, and yield to placeholders.yml', () => {
    const rulesDir = makeTempDir('vigil-intel-placeholder-');
    fs.writeFileSync(path.join(rulesDir, 'phishing-dns.yml'), RULE);
    fs.mkdirSync(path.join(rulesDir, 'intel'));
    fs.writeFileSync(path.join(rulesDir, 'intel', 'c2.txt'), '203.0.113.7\n');
    const missing = loadRuleSet(rulesDir, { collectErrors: true });
    expect(missing.errors.map((error) => error.message)).toEqual([expect.stringContaining("unknown placeholder '%intel_phishing_domains%' (known: intel_c2)")]);

    fs.writeFileSync(path.join(rulesDir, 'placeholders.yml'), 'intel_phishing_domains: [example.test]\n');
    const overridden = loadRuleSet(rulesDir);
    expect(overridden.errors).toEqual([]);
    expect(matchEvent(overridden, securityEvent({ dns: { question: { name: 'a.example.test' } } }))).toHaveLength(1);
  });
});
