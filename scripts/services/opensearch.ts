// One OpenSearch 3.8 node on 127.0.0.1, run from Maven jars through codelibs'
// OpenSearchRunner under a Java 21+ JDK. The runner listens for HTTP on basePort+1 and
// refuses HTTP ports above 9299, so the base port comes from a fixed range below it.
import fs from 'node:fs';
import path from 'node:path';
import { opensearchDir } from './paths.ts';
import { freePort, freePortPair } from './ports.ts';
import { isRunning, spawnDetached, stopProcess, waitUntilReady } from './process.ts';
import type { OpenSearchState } from './state.ts';

const startTimeoutMs = 180_000;
const lowestBasePort = 9100;
const highestHttpPort = 9299;

function nodeConfig(transportPort: number): string {
  return `# Written by scripts/services/opensearch.ts. The runner sets http.port, cluster.name,
# node.name and single-node discovery itself.
network.host: 127.0.0.1
transport.port: ${transportPort}
cluster.routing.allocation.disk.threshold_enabled: false
`;
}

export function opensearchUrl(state: Pick<OpenSearchState, 'port'>): string {
  return `http://127.0.0.1:${state.port}`;
}

/** True once the node answers cluster health with at least yellow. */
export async function opensearchAnswers(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const response = await fetch(`${url}/_cluster/health?wait_for_status=yellow&timeout=1s`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return false;
    const body = (await response.json()) as { status?: string };
    return body.status === 'yellow' || body.status === 'green';
  } catch {
    return false;
  }
}

export async function startFreshOpenSearch(java: string, classpath: string): Promise<OpenSearchState> {
  const dir = opensearchDir;
  fs.rmSync(dir, { recursive: true, force: true });
  const basePath = path.join(dir, 'base');
  fs.mkdirSync(path.join(basePath, 'node_1', 'config'), { recursive: true });
  const transportPort = await freePort();
  const basePort = await freePortPair(lowestBasePort, highestHttpPort - 1, [transportPort]);
  fs.writeFileSync(path.join(basePath, 'node_1', 'config', 'opensearch.yml'), nodeConfig(transportPort));
  const logFile = path.join(dir, 'opensearch.log');
  const pid = spawnDetached(
    java,
    [
      '-Xms512m',
      '-Xmx1g',
      '-XX:+UseG1GC',
      '-Djava.awt.headless=true',
      '-Dfile.encoding=UTF-8',
      '--enable-native-access=ALL-UNNAMED',
      '--add-modules',
      'jdk.incubator.vector',
      '-cp',
      classpath,
      'org.codelibs.opensearch.runner.OpenSearchRunner',
      '-basePath',
      basePath,
      '-numOfNode',
      '1',
      '-baseHttpPort',
      String(basePort),
      '-clusterName',
      'vigil-test',
      '-printOnFailure',
    ],
    logFile,
    dir,
  );
  const state: OpenSearchState = {
    pid,
    port: basePort + 1,
    basePort,
    transportPort,
    dir,
    logFile,
    java,
    startedAt: new Date().toISOString(),
  };
  try {
    await waitUntilReady('OpenSearch', pid, logFile, () => opensearchAnswers(opensearchUrl(state)), startTimeoutMs);
  } catch (error) {
    await stopProcess(pid, 10_000);
    throw error;
  }
  return state;
}

export function opensearchRunning(state: OpenSearchState): boolean {
  return isRunning(state.pid, path.join(state.dir, 'base'));
}

export async function stopOpenSearchNode(state: OpenSearchState): Promise<string> {
  if (!opensearchRunning(state)) return 'not-running';
  return stopProcess(state.pid, 30_000);
}
