// Finds a JDK on the machine by reading each candidate's `release` file (no spawn):
// $JAVA_HOME first, then every JDK under /usr/lib/jvm, newest major version first.
import fs from 'node:fs';
import path from 'node:path';

const jvmRoot = '/usr/lib/jvm';

function majorVersion(home: string): number | null {
  try {
    const release = fs.readFileSync(path.join(home, 'release'), 'utf8');
    const match = /^JAVA_VERSION="(\d+)(?:\.(\d+))?/m.exec(release);
    if (!match) return null;
    // Java 8 and older call themselves 1.x.
    return match[1] === '1' ? Number(match[2]) : Number(match[1]);
  } catch {
    return null;
  }
}

function candidates(): string[] {
  const homes: string[] = [];
  if (process.env.JAVA_HOME) homes.push(process.env.JAVA_HOME);
  if (fs.existsSync(jvmRoot)) {
    for (const name of fs.readdirSync(jvmRoot)) homes.push(fs.realpathSync(path.join(jvmRoot, name)));
  }
  return [...new Set(homes)];
}

/** Path of a `java` binary of at least `minMajor`, or an error naming what was found. */
export function findJava(minMajor: number): string {
  const found = candidates()
    .map((home) => ({ home, major: majorVersion(home) }))
    .filter((jdk): jdk is { home: string; major: number } => jdk.major !== null && fs.existsSync(path.join(jdk.home, 'bin', 'java')));
  const fit = found.filter((jdk) => jdk.major >= minMajor).sort((a, b) => b.major - a.major)[0];
  if (fit) return path.join(fit.home, 'bin', 'java');
  const seen = found.map((jdk) => `${jdk.home} (${jdk.major})`).join(', ') || 'none';
  throw new Error(`services: need a Java ${minMajor}+ JDK under ${jvmRoot} or in $JAVA_HOME; found: ${seen}`);
}
