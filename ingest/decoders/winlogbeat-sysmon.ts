// Sysmon events (channel Microsoft-Windows-Sysmon/Operational) to the ECS fields an
// analyst searches, from the values Sysmon writes in `winlog.event_data` (which stay as
// shipped: Sigma's Sysmon rules read them there). Event ids and their meaning are
// Sysmon's documented ones; the ECS categorisation follows Winlogbeat's Sysmon module.
// Ids not listed still get the process and user every Sysmon event names.
import { account, baseName, compact, directory, hashes, integer, port, text, type EcsFields, type EventData } from './winlogbeat-fields.ts';

interface Kind {
  action: string;
  category: string[];
  type: string[];
}

/** Sysmon event id → what it is. */
const KINDS: Readonly<Record<number, Kind>> = {
  1: { action: 'process-created', category: ['process'], type: ['start'] },
  2: { action: 'file-creation-time-changed', category: ['file'], type: ['change'] },
  3: { action: 'network-connection', category: ['network'], type: ['connection', 'start'] },
  5: { action: 'process-terminated', category: ['process'], type: ['end'] },
  6: { action: 'driver-loaded', category: ['driver'], type: ['start'] },
  7: { action: 'image-loaded', category: ['library'], type: ['start'] },
  8: { action: 'remote-thread-created', category: ['process'], type: ['change'] },
  10: { action: 'process-accessed', category: ['process'], type: ['access'] },
  11: { action: 'file-created', category: ['file'], type: ['creation'] },
  12: { action: 'registry-key-created-or-deleted', category: ['registry'], type: ['change'] },
  13: { action: 'registry-value-set', category: ['registry'], type: ['change'] },
  14: { action: 'registry-renamed', category: ['registry'], type: ['change'] },
  15: { action: 'file-stream-created', category: ['file'], type: ['creation'] },
  17: { action: 'pipe-created', category: ['file'], type: ['creation'] },
  18: { action: 'pipe-connected', category: ['file'], type: ['access'] },
  22: { action: 'dns-query', category: ['network'], type: ['protocol', 'info'] },
  23: { action: 'file-deleted', category: ['file'], type: ['deletion'] },
  26: { action: 'file-deleted', category: ['file'], type: ['deletion'] },
};

export function sysmonFields(code: number, data: EventData): EcsFields {
  const kind = KINDS[code];
  const fields: EcsFields = {
    event: { module: 'sysmon', ...(kind ?? {}) },
    process: processOf(data),
    user: account(text(data, 'User')),
  };
  switch (code) {
    case 1:
      return compact({ ...fields, process: { ...processOf(data), ...processStart(data) } });
    case 3:
      return compact({ ...fields, ...connection(data) });
    case 2:
    case 11:
    case 15:
    case 23:
    case 26:
      return compact({ ...fields, file: fileOf(text(data, 'TargetFilename')) });
    case 6:
    case 7:
      return compact({ ...fields, file: fileOf(text(data, 'ImageLoaded')) });
    case 12:
    case 13:
    case 14:
      return compact({ ...fields, registry: registryOf(data) });
    case 8:
    case 10:
      // The source process acts on a target process.
      return compact({
        ...fields,
        process: {
          executable: text(data, 'SourceImage'),
          name: nameOf(text(data, 'SourceImage')),
          pid: integer(data, 'SourceProcessId'),
          entity_id: text(data, 'SourceProcessGuid'),
        },
        user: account(text(data, 'SourceUser')),
      });
    case 17:
    case 18:
      return compact({ ...fields, file: { name: text(data, 'PipeName') } });
    case 22:
      return compact({ ...fields, ...dnsQuery(data) });
    default:
      return compact(fields);
  }
}

function processOf(data: EventData): EcsFields {
  const executable = text(data, 'Image');
  return {
    executable,
    name: nameOf(executable),
    pid: integer(data, 'ProcessId'),
    entity_id: text(data, 'ProcessGuid'),
  };
}

function processStart(data: EventData): EcsFields {
  const parent = text(data, 'ParentImage');
  return {
    command_line: text(data, 'CommandLine'),
    working_directory: text(data, 'CurrentDirectory'),
    pe: {
      original_file_name: text(data, 'OriginalFileName'),
      description: text(data, 'Description'),
      product: text(data, 'Product'),
      company: text(data, 'Company'),
      file_version: text(data, 'FileVersion'),
    },
    hash: hashes(text(data, 'Hashes')),
    parent: {
      executable: parent,
      name: nameOf(parent),
      command_line: text(data, 'ParentCommandLine'),
      pid: integer(data, 'ParentProcessId'),
      entity_id: text(data, 'ParentProcessGuid'),
    },
  };
}

function connection(data: EventData): EcsFields {
  const initiated = text(data, 'Initiated')?.toLowerCase();
  const ipv6 = text(data, 'SourceIsIpv6')?.toLowerCase();
  return {
    source: {
      ip: text(data, 'SourceIp'),
      port: port(data, 'SourcePort'),
      domain: text(data, 'SourceHostname'),
    },
    destination: {
      ip: text(data, 'DestinationIp'),
      port: port(data, 'DestinationPort'),
      domain: text(data, 'DestinationHostname'),
    },
    network: {
      transport: text(data, 'Protocol')?.toLowerCase(),
      protocol: text(data, 'DestinationPortName')?.toLowerCase(),
      type: ipv6 === 'true' ? 'ipv6' : ipv6 === 'false' ? 'ipv4' : undefined,
      // Seen from the host that logged it: it opened the connection, or accepted it.
      direction: initiated === 'true' ? 'egress' : initiated === 'false' ? 'ingress' : undefined,
    },
  };
}

function dnsQuery(data: EventData): EcsFields {
  // QueryResults: "type:  5 edge.example.net;::ffff:93.184.216.34;" — the addresses are
  // the entries that are not CNAME records.
  const results = text(data, 'QueryResults');
  const addresses = (results ?? '')
    .split(';')
    .map((entry) => entry.trim().replace(/^::ffff:/i, ''))
    .filter((entry) => entry !== '' && !entry.startsWith('type:'));
  return {
    dns: {
      question: { name: text(data, 'QueryName') },
      resolved_ip: addresses.length > 0 ? addresses : undefined,
    },
    network: { protocol: 'dns' },
  };
}

function fileOf(path: string | undefined): EcsFields | undefined {
  if (path === undefined) return undefined;
  return { path, name: baseName(path), directory: directory(path) };
}

function registryOf(data: EventData): EcsFields {
  const path = text(data, 'TargetObject');
  const details = text(data, 'Details');
  return { path, hive: path?.split('\\')[0], data: { strings: details === undefined ? undefined : [details] } };
}

function nameOf(path: string | undefined): string | undefined {
  return path === undefined ? undefined : baseName(path);
}
