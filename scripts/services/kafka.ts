// One Apache Kafka 4.x broker in KRaft mode (combined broker and controller) on
// 127.0.0.1, run from Maven jars. A fresh start wipes and formats its log dir; a restart
// reuses the same ports and log dir, so clients and their committed offsets carry on.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { kafkaDir } from './paths.ts';
import { fileSize, isRunning, logContains, spawnDetached, stopProcess, waitUntilReady } from './process.ts';
import { freePort } from './ports.ts';
import type { KafkaState } from './state.ts';

const run = promisify(execFile);

const readyLine = 'Kafka Server started';
const startTimeoutMs = 120_000;

const log4j2 = `# Console logging at INFO: the start script waits for "${readyLine}".
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka-request.name = kafka.request.logger
logger.kafka-request.level = WARN
`;

function serverProperties(port: number, controllerPort: number, dataDir: string): string {
  return `# Written by scripts/services/kafka.ts: one combined broker+controller for tests.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${controllerPort}
listeners=PLAINTEXT://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}
advertised.listeners=PLAINTEXT://127.0.0.1:${port}
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=${dataDir}
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
`;
}

function files(dir: string) {
  return {
    properties: path.join(dir, 'server.properties'),
    log4j2: path.join(dir, 'log4j2.properties'),
    data: path.join(dir, 'data'),
    log: path.join(dir, 'kafka.log'),
  };
}

/**
 * A cluster id as Kafka makes one: 16 random bytes, base64url, never starting with '-'
 * (Kafka's own generator avoids that too: the StorageTool would read it as an option).
 */
function clusterId(): string {
  for (;;) {
    const id = crypto.randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

async function launch(java: string, classpath: string, dir: string): Promise<number> {
  const f = files(dir);
  const offset = fileSize(f.log);
  const pid = spawnDetached(
    java,
    ['-Xms256m', '-Xmx512m', '-XX:+UseG1GC', `-Dlog4j2.configurationFile=${f.log4j2}`, '-cp', classpath, 'kafka.Kafka', f.properties],
    f.log,
    dir,
  );
  try {
    await waitUntilReady('Kafka', pid, f.log, logContains(f.log, offset, readyLine), startTimeoutMs);
  } catch (error) {
    await stopProcess(pid, 5_000);
    throw error;
  }
  return pid;
}

/** Starts a broker on fresh free ports with an empty, newly formatted log dir. */
export async function startFreshKafka(java: string, classpath: string): Promise<KafkaState> {
  const dir = kafkaDir;
  const f = files(dir);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(f.data, { recursive: true });
  const port = await freePort();
  let controllerPort = await freePort();
  while (controllerPort === port) controllerPort = await freePort();
  fs.writeFileSync(f.properties, serverProperties(port, controllerPort, f.data));
  fs.writeFileSync(f.log4j2, log4j2);
  try {
    await run(java, ['-cp', classpath, 'kafka.tools.StorageTool', 'format', `--cluster-id=${clusterId()}`, '-c', f.properties, '--ignore-formatted'], {
      maxBuffer: 4 * 1024 * 1024,
    });
  } catch (error) {
    const err = error as { stdout?: string; stderr?: string };
    throw new Error(`services: formatting the Kafka log dir failed: ${err.stdout ?? ''}${err.stderr ?? ''}`, { cause: error });
  }
  const pid = await launch(java, classpath, dir);
  return { pid, port, controllerPort, dir, logFile: f.log, java, startedAt: new Date().toISOString() };
}

/** Starts the broker described by `previous` again: same ports, same log dir and data. */
export async function startKafkaAgain(previous: KafkaState, classpath: string): Promise<KafkaState> {
  const pid = await launch(previous.java, classpath, previous.dir);
  return { ...previous, pid, startedAt: new Date().toISOString() };
}

/** True when `state`'s broker process is alive (and is still that broker). */
export function kafkaRunning(state: KafkaState): boolean {
  return isRunning(state.pid, files(state.dir).properties);
}

export async function stopKafkaBroker(state: KafkaState): Promise<string> {
  if (!kafkaRunning(state)) return 'not-running';
  return stopProcess(state.pid, 30_000);
}

export function kafkaBrokers(state: KafkaState): string {
  return `127.0.0.1:${state.port}`;
}
