// A single-event alert carries the signature of its event (#10: "group by threat" put
// most antivirus alerts under "(none)", since only correlations had rule.name in their
// group): detect reads rule.name from the matched event, the grouper keeps the one
// that opened the alert (a restore included), and the alert's id and grouping do not
// change: repeats on the same PC with another signature still join it.
import { alertSchema } from '../../../core/schemas/alert.ts';
import { describe, expect, it } from 'vitest';
import type { RuleMetadata } from '../../../detect/alert-from-match.ts';
import { createAlertGrouper, occurrenceFromMatch } from '../../../detect/correlation/alert-grouper.ts';
import { signalsFromMatches } from '../../../detect/correlation/signals-from-match.ts';
import type { MatchRecord } from '../../../detect/correlation/signal-record.ts';
import { securityEvent } from '../security-event-fixture.ts';

const ransomware: RuleMetadata = { id: 'ransomware-family', title: 'Ransomware Family Detected', level: 'critical', tags: [] };
const t0 = Date.parse('2026-11-23T02:00:00.000Z');
const routing = { correlationsReferencing: () => [], raisesOwnAlerts: () => true };

function detected(id: string, minute: number, signature?: string) {
  return securityEvent({
    '@timestamp': new Date(t0 + minute * 60_000).toISOString(),
    event: { id, kind: 'alert', category: ['malware'], action: 'quarantined', module: 'antivirus' },
    organization: { id: 'unit-117', name: 'UBND xã Tân Phú' },
    host: { id: 'pc-4', name: 'tanphu-pc-04' },
    ...(signature === undefined ? {} : { rule: { name: signature } }),
  });
}

function record(id: string, minute: number, signature?: string): MatchRecord & { alert: Record<string, string> } {
  const event = detected(id, minute, signature);
  const [signal] = signalsFromMatches([ransomware.id], event, Date.parse(event['@timestamp']), { partition: 0, offset: minute }, routing);
  return signal as MatchRecord & { alert: Record<string, string> };
}

describe("a single-event alert's threat", () => {
  it('is the signature of the event that opened it, kept across repeats and a restore, without changing the alert id', () => {
    const first = record('e-1', 0, 'Ransom:Win32/WannaCrypt.A!rsm');
    expect(first.threat).toBe('Ransom:Win32/WannaCrypt.A!rsm');
    expect(first.alert).toEqual({ 'organization.id': 'unit-117', 'host.id': 'pc-4' });

    const grouper = createAlertGrouper({ windowMs: 3_600_000 });
    const opened = grouper.add(occurrenceFromMatch(ransomware, first), new Date(t0 + 1000));
    expect(alertSchema.parse(opened)).toEqual(opened);
    expect(opened.threat).toBe('Ransom:Win32/WannaCrypt.A!rsm');

    // Without a signature the same match names the same alert: the threat is not part of its identity.
    const unsigned = createAlertGrouper({ windowMs: 3_600_000 }).add(occurrenceFromMatch(ransomware, record('e-1', 0)), new Date(t0 + 1000));
    expect(unsigned.id).toBe(opened.id);
    expect(unsigned.threat).toBeUndefined();

    // A repeat on the same PC with another signature joins the alert, which keeps its first.
    const repeat = grouper.add(occurrenceFromMatch(ransomware, record('e-2', 5, 'Ransom:Win32/LockBit.B')), new Date(t0 + 301_000));
    expect(repeat).toMatchObject({ id: opened.id, count: 2, threat: 'Ransom:Win32/WannaCrypt.A!rsm' });

    const restored = createAlertGrouper({ windowMs: 3_600_000 });
    restored.restore(JSON.parse(JSON.stringify(grouper.snapshot().groups)) as [string, unknown][]);
    const afterRestore = restored.add(occurrenceFromMatch(ransomware, record('e-3', 9)), new Date(t0 + 541_000));
    expect(afterRestore).toMatchObject({ id: opened.id, count: 3, threat: 'Ransom:Win32/WannaCrypt.A!rsm' });
  });
});
