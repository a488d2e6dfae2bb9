// Golden tests for the syslog header parsers: the examples of RFC 5424 §6.5 and RFC 3164
// §5.4, then the BSD variants firewalls send (year, fractions, ISO time, no hostname,
// no PRI, unreadable header), each to the exact fields an analyst would see.
import { describe, expect, it } from 'vitest';
import { parseSyslog } from '../../../ingest/syslog/parse-syslog.ts';
import type { SyslogMessage } from '../../../ingest/syslog/syslog-message.ts';

// Thursday 3 December 2026, 12:00 UTC; the SOC is at UTC+7.
const time = { now: new Date('2026-12-03T12:00:00Z'), defaultOffsetMinutes: 420 };

function parsed(text: string): SyslogMessage & { iso?: string } {
  const result = parseSyslog(text, time);
  if (!result.ok) throw new Error(`expected a message, got: ${result.error}`);
  return { ...result.value, iso: result.value.timestamp?.toISOString() };
}

function refused(text: string): string {
  const result = parseSyslog(text, time);
  if (result.ok) throw new Error(`expected a refusal for ${JSON.stringify(text)}`);
  return result.error;
}

describe('RFC 5424 examples (§6.5)', () => {
  it('example 1: no structured data, a BOM before MSG', () => {
    const message = parsed("<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - \uFEFF'su root' failed for lonvick on /dev/pts/8");
    expect(message).toMatchObject({
      format: 'rfc5424', priority: 34, facility: 4, severity: 2, iso: '2003-10-11T22:14:15.003Z',
      hostname: 'mymachine.example.com', appName: 'su', msgId: 'ID47', message: "'su root' failed for lonvick on /dev/pts/8",
    });
    expect(message.procId).toBeUndefined();
    expect(message.structuredData).toBeUndefined();
  });

  it('example 2: microseconds and a zone offset, an IP as hostname, a PROCID', () => {
    const message = parsed("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
    expect(message).toMatchObject({
      priority: 165, facility: 20, severity: 5, iso: '2003-08-24T12:14:15.000Z', hostname: '192.0.2.1',
      appName: 'myproc', procId: '8710', message: "%% It's time to make the do-nuts.",
    });
  });

  it('example 3: one SD-ELEMENT and a MSG', () => {
    const message = parsed('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"] \uFEFFAn application event log entry...');
    expect(message.structuredData).toEqual({ 'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' } });
    expect(message.message).toBe('An application event log entry...');
  });

  it('example 4: two SD-ELEMENTs and no MSG', () => {
    const message = parsed('<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"]');
    expect(message.structuredData).toEqual({
      'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
      'examplePriority@32473': { class: 'high' },
    });
    expect(message.message).toBe('');
  });

  it('reads the escapes of SD-PARAM values (\\" \\\\ \\])', () => {
    const message = parsed('<13>1 2026-12-03T10:00:00Z h app - - [x@1 v="a \\"q\\" b\\\\c\\]d"] m');
    expect(message.structuredData).toEqual({ 'x@1': { v: 'a "q" b\\c]d' } });
  });

  it('§6.3.5 invalid example 3 (a space between SD-ELEMENTs): the second one is MSG, not structured data', () => {
    const message = parsed('<165>1 2003-10-11T22:14:15.003Z host app - ID47 [exampleSDID@32473 iut="3"] [examplePriority@32473 class="high"]');
    expect(message.structuredData).toEqual({ 'exampleSDID@32473': { iut: '3' } });
    expect(message.message).toBe('[examplePriority@32473 class="high"]');
  });

  it('refuses §6.3.5 invalid example 4 (a space after "["), a zone-less time and a PRI over 191', () => {
    expect(refused('<165>1 2003-10-11T22:14:15.003Z host app - ID47 [ exampleSDID@32473 iut="3"]')).toMatch(/SD-ID/);
    expect(refused('<165>1 2003-10-11T22:14:15 host app - ID47 - msg')).toMatch(/TIMESTAMP/);
    expect(refused('<192>1 2003-10-11T22:14:15Z host app - ID47 - msg')).toMatch(/PRI/);
  });
});

describe('RFC 3164 examples (§5.4) and the variants firewalls send', () => {
  it('example 1: a hostname and a TAG; the zone-less time is the SOC zone, the year the latest not ahead', () => {
    const message = parsed("<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8");
    expect(message).toMatchObject({
      format: 'rfc3164', priority: 34, facility: 4, severity: 2, iso: '2026-10-11T15:14:15.000Z',
      hostname: 'mymachine', appName: 'su', message: "'su root' failed for lonvick on /dev/pts/8",
    });
  });

  it('example 2: a space-padded day, an IP as hostname, no TAG; a February time read in December is this year', () => {
    const message = parsed('<13>Feb  5 17:32:18 10.0.0.99 Use the BFG!');
    expect(message).toMatchObject({ iso: '2026-02-05T10:32:18.000Z', hostname: '10.0.0.99', message: 'Use the BFG!' });
    expect(message.appName).toBeUndefined();
  });

  it('example 3: a zone and a year after the time, a TAG with a pid', () => {
    const message = parsed("<165>Aug 24 05:34:00 CST 1987 mymachine myproc[10]: %% It's time to make the do-nuts.  %%  Ingredients: Mix=OK, Jeez=OK");
    expect(message).toMatchObject({
      iso: '1987-08-24T11:34:00.000Z', hostname: 'mymachine', appName: 'myproc', procId: '10',
      message: "%% It's time to make the do-nuts.  %%  Ingredients: Mix=OK, Jeez=OK",
    });
  });

  it('a year after the day and fractions of a second (Cisco)', () => {
    expect(parsed('<166>Dec 02 2026 23:59:58.123 fw-dc %ASA-6-302013: Built').iso).toBe('2026-12-02T16:59:58.123Z');
  });

  it('Cisco ASA without a device id (a colon after the time) and Cisco IOS (sequence number, unsynchronised-clock "*")', () => {
    expect(parsed('<166>Dec 03 2026 08:00:00: %ASA-6-302013: Built outbound TCP connection 1 for outside:203.0.113.9/443')).toMatchObject({
      iso: '2026-12-03T01:00:00.000Z', appName: '%ASA-6-302013', message: 'Built outbound TCP connection 1 for outside:203.0.113.9/443',
    });
    const ios = parsed('<189>123: *Dec  3 08:46:11.123: %SYS-5-CONFIG_I: Configured from console by vty0');
    expect(ios).toMatchObject({ iso: '2026-12-03T01:46:11.123Z', appName: '%SYS-5-CONFIG_I', message: 'Configured from console by vty0' });
    expect(ios.hostname).toBeUndefined();
  });

  it('an ISO 8601 time, with and without a zone', () => {
    expect(parsed('<14>2026-12-03T08:00:00+07:00 fw1 kernel: drop').iso).toBe('2026-12-03T01:00:00.000Z');
    expect(parsed('<14>2026-12-03T08:00:00 fw1 kernel: drop')).toMatchObject({ iso: '2026-12-03T01:00:00.000Z', hostname: 'fw1', appName: 'kernel' });
  });

  it('no hostname: the TAG follows the time', () => {
    const message = parsed('<38>Dec  3 18:59:59 sshd[4242]: Accepted password for root');
    expect(message.hostname).toBeUndefined();
    expect(message).toMatchObject({ appName: 'sshd', procId: '4242', message: 'Accepted password for root' });
  });

  it('no hostname: CEF follows the time', () => {
    const message = parsed('<134>Dec  3 18:00:00 CEF:0|V|P|1|100|n|5|src=10.0.0.1');
    expect(message.hostname).toBeUndefined();
    expect(message.message).toBe('CEF:0|V|P|1|100|n|5|src=10.0.0.1');
  });

  it('a message from New Year\'s Eve read on 1 January is last year\'s; one a few seconds ahead at New Year is next year\'s', () => {
    const newYear = { now: new Date('2027-01-01T00:00:10+07:00'), defaultOffsetMinutes: 420 };
    const late = parseSyslog('<13>Dec 31 23:59:50 h m', newYear);
    const ahead = parseSyslog('<13>Jan  1 00:00:20 h m', newYear);
    expect(late.ok && late.value.timestamp?.toISOString()).toBe('2026-12-31T16:59:50.000Z');
    expect(ahead.ok && ahead.value.timestamp?.toISOString()).toBe('2026-12-31T17:00:20.000Z');
  });

  it('no PRI: a BSD header is still read (QRadar allows it)', () => {
    expect(parsed('Jan 18 11:07:53 myhostname LEEF:1.0|V|P|1|E|src=1.2.3.4')).toMatchObject({ hostname: 'myhostname', message: 'LEEF:1.0|V|P|1|E|src=1.2.3.4' });
  });

  it('a PRI but no readable header (FortiGate key=value): the whole text is the MSG, no time', () => {
    const message = parsed('<189>date=2026-12-03 time=08:00:00 devname="FG100" action="deny"');
    expect(message).toMatchObject({ priority: 189, message: 'date=2026-12-03 time=08:00:00 devname="FG100" action="deny"' });
    expect(message.timestamp).toBeUndefined();
    expect(message.hostname).toBeUndefined();
  });

  it('refuses what is not syslog: no PRI and no header, binary, empty, a bad PRI', () => {
    expect(refused('GET / HTTP/1.1')).toMatch(/not syslog/);
    expect(refused('\u0000\u0001\u0002')).toMatch(/binary/);
    expect(refused('   ')).toMatch(/empty/);
    expect(refused('<999>Oct 11 22:14:15 h m')).toMatch(/PRI/);
    expect(refused('<1x>Oct 11 22:14:15 h m')).toMatch(/PRI/);
  });
});
