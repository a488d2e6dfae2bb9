// Public SigmaHQ Windows rules (vendored under fixtures/sigmahq-windows/, see its
// README) run unchanged on Windows events as Winlogbeat ships them: each sample goes
// through the winlogbeat decoder and the event contract, then through the production
// rule set, and fires exactly the rules it should. Rules of `service: security`,
// `sysmon`, `windefend` and Sysmon's categories load without a logsource error, and
// Defender events also fire the shipped antivirus rules (rules/antivirus/).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compilePipeline } from '../../detect/sigma/pipeline.ts';
import { loadRuleSet, matchEvent, ruleSetFromText, type RuleSet } from '../../detect/sigma/rule-set.ts';
import { winlogbeatDecoder } from '../../ingest/decoders/winlogbeat.ts';
import * as samples from '../ingest/decoders/winlogbeat-samples.ts';
import { securityEvent } from './security-event-fixture.ts';

type Doc = Record<string, unknown>;

const sigmahq = loadRuleSet(fileURLToPath(new URL('./fixtures/sigmahq-windows/', import.meta.url)), { collectErrors: true });
const library = loadRuleSet(fileURLToPath(new URL('../../rules/', import.meta.url)), { collectErrors: true });

/** A Winlogbeat document as Vigil stores it: decoded, then stamped as ingest does. */
function ingested(document: Doc) {
  const result = winlogbeatDecoder.decode({ text: JSON.stringify(document), value: document }, {});
  if (!result.ok) throw new Error(result.error);
  return securityEvent(result.event);
}

function fired(ruleSet: RuleSet, document: Doc): string[] {
  return matchEvent(ruleSet, ingested(document))
    .map((rule) => rule.title)
    .sort();
}

/** A sample with other Windows values (its event_data fields replaced). */
function withData(document: Doc, data: Record<string, string>): Doc {
  const winlog = document.winlog as Doc;
  return { ...document, winlog: { ...winlog, event_data: { ...(winlog.event_data as Doc), ...data } } };
}

const wordSpawnsDownload = withData(samples.sysmon1Notepad, {
  Image: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\hoadon.exe',
  OriginalFileName: '-',
  CommandLine: '"C:\\Users\\ketoan01\\AppData\\Local\\Temp\\hoadon.exe"',
  ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  ParentCommandLine: '"C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE" /n "C:\\Users\\ketoan01\\Downloads\\hoadon.doc"',
});
const winrmByUser = withData(samples.sysmon3Certutil, {
  Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
  DestinationIp: '10.20.30.5',
  DestinationPort: '5985',
  DestinationPortName: '-',
});
const winrmByNetworkService = withData(winrmByUser, { User: 'NT AUTHORITY\\NETWORK SERVICE' });

describe('SigmaHQ Windows rules on Winlogbeat events', () => {
  it('load without errors, none of them on its logsource', () => {
    expect(sigmahq.errors.map((error) => `${error.code}: ${error.message}`)).toEqual([]);
    expect(sigmahq.rules).toHaveLength(15);
  });

  it('read Windows field names under winlog.event_data, EventID as event.code, and ECS where the category maps it', () => {
    const rdp = sigmahq.rules.find((rule) => rule.title === 'Admin User Remote Logon');
    expect(rdp?.detection.get('selection')).toMatchObject({
      children: [
        { field: 'event.code' },
        { field: 'winlog.event_data.LogonType' },
        { field: 'winlog.event_data.AuthenticationPackageName' },
        { field: 'winlog.event_data.TargetUserName' },
      ],
    });
    const amsi = sigmahq.rules.find((rule) => rule.title === 'Windows Defender AMSI Trigger Detected');
    expect(amsi?.detection.get('selection')).toMatchObject({ children: [{ field: 'event.code' }, { field: 'winlog.event_data.Source Name' }] });
    const certutil = sigmahq.rules.find((rule) => rule.title === 'Uncommon Network Connection Initiated By Certutil.EXE');
    expect(certutil?.detection.get('selection')).toMatchObject({
      children: [{ field: 'process.executable' }, { field: 'winlog.event_data.Initiated' }, { field: 'destination.port' }],
    });
  });

  it.each([
    ['Defender 1006', samples.defender1006, ['Windows Defender Threat Detected']],
    ['Defender 1116', samples.defender1116, ['Windows Defender Threat Detected']],
    ['Defender 1116 from AMSI', samples.defender1116Amsi, ['Windows Defender AMSI Trigger Detected', 'Windows Defender Threat Detected']],
    ['Defender 1117', samples.defender1117, ['Windows Defender Threat Detected']],
    ['Defender 1118', samples.defender1118, []],
    ['Defender 5001', samples.defender5001, ['Windows Defender Real-time Protection Disabled']],
    ['Defender 5010', samples.defender5010, ['Windows Defender Malware And PUA Scanning Disabled']],
    ['Security 4624 RDP from a public address', samples.security4624Rdp, ['Admin User Remote Logon', 'External Remote RDP Logon from Public IP']],
    ['Security 4625 from a public address', samples.security4625, ['Failed Logon From Public IP']],
    ['Security 4688 encoded PowerShell', samples.security4688, ['Suspicious Encoded PowerShell Command Line']],
    ['Sysmon 1 whoami as SYSTEM', samples.sysmon1Whoami, ['Whoami.EXE Execution From Privileged Process']],
    ['Sysmon 1 Word starts a downloaded program', wordSpawnsDownload, ['Suspicious Binary In User Directory Spawned From Office Application']],
    ['Sysmon 3 certutil over HTTPS', samples.sysmon3Certutil, ['Uncommon Network Connection Initiated By Certutil.EXE']],
    ['Sysmon 3 WinRM opened by a user', winrmByUser, ['Potential Remote PowerShell Session Initiated']],
    ['Sysmon 3 WinRM opened by NETWORK SERVICE', winrmByNetworkService, []],
    ['Sysmon 11 LSASS dump file', samples.sysmon11LsassDump, ['LSASS Process Memory Dump Files']],
    ['Sysmon 16 configuration change', samples.sysmon16Config, ['Sysmon Configuration Change']],
    ['Sysmon 22 MEGA query', samples.sysmon22Mega, ['DNS Query To MEGA Hosting Website']],
  ])('%s fires what it should', (_what, document, expected) => {
    expect(fired(sigmahq, document)).toEqual([...expected].sort());
  });

  it.each(Object.entries(samples.benign))('benign %s fires none of them, nor any shipped rule', (_name, document) => {
    expect(fired(sigmahq, document)).toEqual([]);
    expect(fired(library, document)).toEqual([]);
  });
});

describe('Windows log sources of the shipped pipelines', () => {
  /** A rule of one logsource whose selection is `detection`, written as SigmaHQ writes them. */
  function windowsRule(logsource: string, selection: string): RuleSet {
    const text = `title: t\nid: 0b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d\nlogsource:\n${logsource}\ndetection:\n  selection:\n${selection}\n  condition: selection\nlevel: high\n`;
    return ruleSetFromText(text, 'rules/inline.yml', { collectErrors: true });
  }

  it('route PowerShell script block logging (ps_script, event 4104) and read its fields under winlog.event_data', () => {
    const ruleSet = windowsRule('  product: windows\n  category: ps_script', "    ScriptBlockText|contains: 'Invoke-Mimikatz'");
    expect(ruleSet.errors).toEqual([]);
    expect(fired(ruleSet, samples.powershell4104)).toEqual(['t']);
    expect(fired(ruleSet, withData(samples.sysmon1Notepad, { ScriptBlockText: 'Invoke-Mimikatz' }))).toEqual([]);
  });

  it('route a Sysmon-only category to its event id, whatever the fields say', () => {
    const ruleSet = windowsRule('  product: windows\n  category: file_event', "    TargetFilename|endswith: '.dmp'");
    expect(fired(ruleSet, samples.sysmon11LsassDump)).toEqual(['t']);
    // A process start that happens to carry the field is not a file event.
    expect(fired(ruleSet, withData(samples.sysmon1Notepad, { TargetFilename: 'C:\\x\\a.dmp' }))).toEqual([]);
  });

  it('route registry_set (Sysmon 13) and image_load (Sysmon 7) with Sysmon’s names', () => {
    const run = windowsRule('  product: windows\n  category: registry_set', "    TargetObject|contains: '\\CurrentVersion\\Run\\'\n    Details|contains: '\\AppData\\'");
    expect(fired(run, samples.sysmon13RunKey)).toEqual(['t']);
    expect(fired(run, samples.sysmon7ImageLoad)).toEqual([]);
    const dll = windowsRule('  product: windows\n  category: image_load', "    ImageLoaded|contains: '\\Temp\\'\n    Signed: 'false'");
    expect(fired(dll, samples.sysmon7ImageLoad)).toEqual(['t']);
    expect(fired(dll, samples.sysmon13RunKey)).toEqual([]);
  });

  it('take a fieldprefix only as a dotted path ending with a dot, and say where it is wrong', () => {
    const bad = compilePipeline('name: p\nlogsources:\n  - service: x\nfieldprefix: winlog event_data\n', 'rules/pipelines/p.yml');
    expect(bad.errors.map((error) => `${error.code}: ${error.message}`)).toEqual([
      'rule_pipeline: rules/pipelines/p.yml:4:14: fieldprefix: a dotted field path ending with a dot',
    ]);
    const good = compilePipeline('name: p\nlogsources:\n  - service: x\nfieldprefix: raw.\nfieldmappings:\n  Host: host.name\n', 'p.yml');
    const mapping = good.pipeline?.fieldMapping;
    expect([mapping?.get('Host'), mapping?.get('Image'), mapping?.get('process.name')]).toEqual([['host.name'], ['raw.Image'], undefined]);
  });

  it('still refuse a Windows channel they do not route, naming the ones they do', () => {
    const ruleSet = windowsRule('  product: windows\n  service: taskscheduler', '    EventID: 106');
    expect(ruleSet.errors.map((error) => error.code)).toEqual(['rule_logsource']);
    const reason = ruleSet.errors[0]?.message ?? '';
    expect(reason).toContain("service 'taskscheduler' is not routed");
    for (const service of ['security', 'system', 'application', 'sysmon', 'windefend', 'powershell']) expect(reason).toMatch(new RegExp(`known: .*\\b${service}\\b`));
  });
});

describe('shipped rules on Winlogbeat events', () => {
  const spread = 'Antivirus Detected a Threat (spread building block)';
  const notRemediated = 'Antivirus Could Not Remediate a Threat (escalation building block)';
  const turnedOff = ['Antivirus Protection Disabled or Tampered With', 'Antivirus Protection Turned Off (sequence building block)'];

  it.each([
    ['Defender 1006', samples.defender1006, ['Banking Trojan or Ransomware Loader Detected', spread]],
    // EICAR is a test, not a threat that spreads.
    ['Defender 1116 EICAR', samples.defender1116, ['EICAR Antivirus Test File Detected']],
    ['Defender 1116 from AMSI', samples.defender1116Amsi, ['In-Memory Script Detected Through AMSI or AMSI Tampering', spread]],
    ['Defender 1117 EICAR quarantined', samples.defender1117, ['EICAR Antivirus Test File Detected']],
    [
      'Defender 1118 ransomware not quarantined',
      samples.defender1118,
      [
        'Ransomware, Wiper or Implant Detected and Not Remediated',
        'Ransomware Family Detected',
        'Antivirus Remediation Failed (Vendor Action Names)',
        notRemediated,
        spread,
      ],
    ],
    [
      'Defender 1119 removal failed',
      samples.defender1119,
      ['Banking Trojan or Ransomware Loader Detected', 'Antivirus Remediation Failed (Vendor Action Names)', notRemediated, spread],
    ],
    ['Defender 5001', samples.defender5001, turnedOff],
    ['Defender 5010', samples.defender5010, turnedOff],
    ['Defender 5012', samples.defender5012, turnedOff],
    ['Security 4624 from a public address', samples.security4624Rdp, ['Successful Logon (brute-force building block)']],
    ['Security 4625', samples.security4625, ['Failed Logon (brute-force building block)']],
    ['Security 4688 encoded PowerShell', samples.security4688, ['PowerShell With an Encoded Command']],
  ])('%s fires what it should', (_what, document, expected) => {
    expect(fired(library, document)).toEqual([...expected].sort());
  });
});
