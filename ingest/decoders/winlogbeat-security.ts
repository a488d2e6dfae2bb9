// Windows Security log events (channel Security) to the ECS fields an analyst
// searches: who (user.*), from where (source.*), what (event.action/category/type/
// outcome) and, for process events, process.*. The values come from
// `winlog.event_data` as Windows names them (TargetUserName, IpAddress, NewProcessName),
// which stay as shipped for Sigma's `service: security` rules. Event ids and action
// names follow Microsoft's audit documentation and Winlogbeat's Security module, so a
// search written for either works here.
import { accountOf, baseName, compact, integer, port, text, type EcsFields, type EcsUser, type EventData } from './winlogbeat-fields.ts';

type Outcome = 'success' | 'failure';

interface Kind {
  action: string;
  category: string[];
  type: string[];
  outcome?: Outcome;
  /** Whose account the event is about: the logon's target, or the subject who acted. */
  user: 'target' | 'subject';
}

/** Security event id → what it is. */
const KINDS: Readonly<Record<number, Kind>> = {
  1102: { action: 'audit-log-cleared', category: ['iam'], type: ['admin', 'change'], user: 'subject' },
  4624: { action: 'logged-in', category: ['authentication'], type: ['start'], outcome: 'success', user: 'target' },
  4625: { action: 'logon-failed', category: ['authentication'], type: ['start'], outcome: 'failure', user: 'target' },
  4634: { action: 'logged-out', category: ['authentication'], type: ['end'], outcome: 'success', user: 'target' },
  4647: { action: 'logged-out', category: ['authentication'], type: ['end'], outcome: 'success', user: 'target' },
  4648: { action: 'logged-in-explicit', category: ['authentication'], type: ['start'], outcome: 'success', user: 'subject' },
  4672: { action: 'logged-in-special', category: ['iam'], type: ['admin'], outcome: 'success', user: 'subject' },
  4688: { action: 'created-process', category: ['process'], type: ['start'], outcome: 'success', user: 'target' },
  4689: { action: 'exited-process', category: ['process'], type: ['end'], outcome: 'success', user: 'subject' },
  4697: { action: 'service-installed', category: ['iam', 'configuration'], type: ['admin', 'change'], user: 'subject' },
  4698: { action: 'scheduled-task-created', category: ['iam', 'configuration'], type: ['creation', 'admin'], user: 'subject' },
  4720: { action: 'added-user-account', category: ['iam'], type: ['user', 'creation'], user: 'subject' },
  4726: { action: 'deleted-user-account', category: ['iam'], type: ['user', 'deletion'], user: 'subject' },
  4728: { action: 'added-member-to-group', category: ['iam'], type: ['group', 'change'], user: 'subject' },
  4732: { action: 'added-member-to-group', category: ['iam'], type: ['group', 'change'], user: 'subject' },
  4740: { action: 'locked-out-user-account', category: ['iam'], type: ['user', 'change'], user: 'subject' },
  4756: { action: 'added-member-to-group', category: ['iam'], type: ['group', 'change'], user: 'subject' },
  4768: { action: 'kerberos-authentication-ticket-requested', category: ['authentication'], type: ['start'], user: 'target' },
  4769: { action: 'kerberos-service-ticket-requested', category: ['authentication'], type: ['start'], user: 'target' },
  4771: { action: 'kerberos-preauth-failed', category: ['authentication'], type: ['start'], outcome: 'failure', user: 'target' },
  4776: { action: 'credential-validated', category: ['authentication'], type: ['start'], user: 'target' },
};

/** Events whose outcome is their Status field: 0x0 is success, any other code a failure. */
const STATUS_OUTCOME = new Set([4768, 4769, 4776]);

export function securityFields(code: number, data: EventData): EcsFields {
  const kind = KINDS[code];
  const outcome = kind?.outcome ?? (STATUS_OUTCOME.has(code) ? statusOutcome(data) : undefined);
  const fields: EcsFields = {
    event: {
      module: 'security',
      ...(kind === undefined ? {} : { action: kind.action, category: kind.category, type: kind.type }),
      outcome,
    },
    user: userOf(data, kind?.user ?? 'subject'),
    source: {
      ip: address(text(data, 'IpAddress')),
      port: port(data, 'IpPort'),
      domain: text(data, 'WorkstationName'),
    },
  };
  if (code === 4688) fields.process = newProcess(data);
  if (code === 4689) fields.process = { executable: text(data, 'ProcessName'), name: nameOf(text(data, 'ProcessName')), pid: integer(data, 'ProcessId') };
  return compact(fields);
}

function userOf(data: EventData, whose: 'target' | 'subject'): EcsUser | undefined {
  const target = accountOf(data, 'TargetUserName', 'TargetDomainName', 'TargetUserSid');
  const subject = accountOf(data, 'SubjectUserName', 'SubjectDomainName', 'SubjectUserSid');
  // 4688 names the new process's account as target only when it differs from the
  // subject ("-" otherwise); 4776 has a target and no subject.
  return whose === 'target' ? (target ?? subject) : (subject ?? target);
}

function newProcess(data: EventData): EcsFields {
  const executable = text(data, 'NewProcessName');
  const parent = text(data, 'ParentProcessName');
  return {
    executable,
    name: nameOf(executable),
    // Both ids are hex in the Security log ("0x1a2c"); ProcessId is the creator's.
    pid: integer(data, 'NewProcessId'),
    command_line: text(data, 'CommandLine'),
    parent: { executable: parent, name: nameOf(parent), pid: integer(data, 'ProcessId') },
  };
}

/** The client address as written ("-" for a local logon is already left out). */
function address(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  // IPv4 clients of a dual-stack listener appear as "::ffff:203.0.113.9".
  return value.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
}

function statusOutcome(data: EventData): Outcome | undefined {
  const status = integer(data, 'Status');
  return status === undefined ? undefined : status === 0 ? 'success' : 'failure';
}

function nameOf(path: string | undefined): string | undefined {
  return path === undefined ? undefined : baseName(path);
}
