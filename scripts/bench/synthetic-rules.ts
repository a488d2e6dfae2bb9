// Synthetic Sigma rule sets for the detection benchmark: N rules shaped like a real
// library (signature contains-lists, path prefixes and suffixes, exact hashes and ports,
// network and process rules, a few keyword rules), spread over the log sources Vigil
// routes, with literals drawn so that only a realistic few match any one event.
import { seededRandom } from '../simulate/realistic-events.ts';

const families = ['lockbit', 'conti', 'emotet', 'qakbot', 'redline', 'agenttesla', 'formbook', 'njrat', 'asyncrat', 'remcos', 'plugx', 'cobaltstrike', 'mimikatz', 'xmrig', 'wannacry', 'phobos', 'djvu', 'hermetic', 'sliver', 'havoc'];
const paths = ['C:\\Users\\Public\\', 'C:\\ProgramData\\', 'C:\\Windows\\Temp\\', '\\AppData\\Roaming\\', '\\AppData\\Local\\Temp\\', 'E:\\', 'F:\\', '\\Startup\\'];
const exts = ['.exe', '.dll', '.ps1', '.vbs', '.js', '.hta', '.lnk', '.scr', '.bat', '.jar'];
const tools = ['certutil.exe', 'bitsadmin.exe', 'mshta.exe', 'regsvr32.exe', 'rundll32.exe', 'wmic.exe', 'powershell.exe', 'cscript.exe', 'wscript.exe', 'schtasks.exe'];

function hex(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += Math.floor(random() * 16).toString(16);
  return out;
}

function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function antivirusRule(i: number, random: () => number): string {
  const shape = i % 4;
  const family = `${pick(families, random)}${i}`;
  const detection =
    shape === 0
      ? `  selection:\n    rule.name|contains:\n${Array.from({ length: 8 }, (_, k) => `      - '${family}v${k}'`).join('\n')}\n  condition: selection`
      : shape === 1
        ? `  selection:\n    file.path|startswith: '${pick(paths, random)}${family}'\n    file.path|endswith: '${pick(exts, random)}'\n  condition: selection`
        : shape === 2
          ? `  selection:\n    file.hash.sha256:\n${Array.from({ length: 5 }, () => `      - ${hex(random, 64)}`).join('\n')}\n  condition: selection`
          : `  selection:\n    event.action: failed\n    rule.name|contains: '${family}'\n  filter:\n    event.outcome: success\n  condition: selection and not filter`;
  return `title: Synthetic antivirus rule ${i}\nid: synthetic-av-${i}\nlevel: medium\nlogsource:\n  category: antivirus\ndetection:\n${detection}\n`;
}

function networkRule(i: number, random: () => number): string {
  const shape = i % 3;
  const detection =
    shape === 0
      ? `  selection:\n    destination.port: ${10_000 + Math.floor(random() * 50_000)}\n    network.transport: tcp\n  condition: selection`
      : shape === 1
        ? `  selection:\n    rule.name|contains|all:\n      - 'ET '\n      - '${pick(families, random)}${i}'\n  condition: selection`
        : `  selection:\n    destination.ip|startswith: '198.51.${Math.floor(random() * 255)}.'\n    destination.port:\n      - 443\n      - 8443\n  condition: selection`;
  const logsource = shape === 1 ? 'ids' : 'firewall';
  return `title: Synthetic network rule ${i}\nid: synthetic-net-${i}\nlevel: medium\nlogsource:\n  category: ${logsource}\ndetection:\n${detection}\n`;
}

function processRule(i: number, random: () => number): string {
  const detection = `  selection_tool:\n    process.executable|endswith: '\\\\${pick(tools, random)}'\n  selection_args:\n    process.command_line|contains:\n      - '-${pick(families, random)}${i}'\n      - '/${hex(random, 6)}'\n  condition: all of selection_*`;
  return `title: Synthetic process rule ${i}\nid: synthetic-proc-${i}\nlevel: medium\nlogsource:\n  category: process_creation\ndetection:\n${detection}\n`;
}

function keywordRule(i: number, random: () => number): string {
  return `title: Synthetic keyword rule ${i}\nid: synthetic-kw-${i}\nlevel: low\nlogsource:\n  category: antivirus\ndetection:\n  keywords:\n    - '${pick(families, random)}-${hex(random, 8)}'\n  condition: keywords\n`;
}

/** `count` rule files as YAML text, deterministic for a given count. */
export function syntheticRules(count: number): string[] {
  const random = seededRandom(count);
  return Array.from({ length: count }, (_, i) => {
    const kind = i % 20;
    if (kind < 10) return antivirusRule(i, random);
    if (kind < 16) return networkRule(i, random);
    if (kind < 19) return processRule(i, random);
    return keywordRule(i, random);
  });
}
