// docker-compose.yml and the Dockerfile, checked without a Docker engine (we have
// none): every Vigil service runs a real `vigil` command with settings Vigil reads and
// accepts, the ports a process listens on are the ones published, probed and dialled,
// images are pinned to the versions the tests prove, and the image runs as non-root
// with everything the command imports and nothing from devDependencies.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VIGIL_COMMANDS, VIGIL_PROCESSES, VIGIL_SIDE_PROCESSES } from '../../bin/commands.ts';
import { CONFIG_VARIABLES, loadConfig } from '../../core/config.ts';
import { kafkaArtifacts } from '../../scripts/services/maven-classpath.ts';
import { repoRoot } from '../support/start-vigil.ts';
import {
  commandArgs,
  commentAbove,
  healthcheckCommand,
  publishedPorts,
  readComposeFile,
  serviceEnvironment,
  type ComposeService,
} from './compose-file.ts';
import { execForm, parseCopy, parseEnv, readDockerfile } from './dockerfile.ts';
import { importGraph } from './import-graph.ts';

const composePath = path.join(repoRoot, 'docker-compose.yml');
const compose = readComposeFile(composePath);
const dockerfile = readDockerfile(path.join(repoRoot, 'Dockerfile'));
const runtime = dockerfile.stages.at(-1)!;
const packageJson = z
  .object({ version: z.string(), dependencies: z.record(z.string(), z.string()), devDependencies: z.record(z.string(), z.string()) })
  .parse(JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')));

/** The services built from this repository: Vigil's own processes. */
const vigilServices = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

/** The environment the image sets (ENV in the runtime stage), under each service's own. */
const imageEnv = Object.assign({}, ...runtime.instructions.filter((i) => i.keyword === 'ENV').map((i) => parseEnv(i.args))) as Record<string, string>;

function containerEnv(service: ComposeService): Record<string, string> {
  return { ...imageEnv, ...serviceEnvironment(service) };
}

function imageTag(image: string): string | undefined {
  const lastSegment = image.split('/').at(-1)!;
  return lastSegment.includes(':') ? lastSegment.split(':').at(-1) : undefined;
}

function hostPort(address: string): { host: string; port: number } {
  const url = new URL(address.includes('://') ? address : `tcp://${address}`);
  return { host: url.hostname, port: Number(url.port) };
}

describe('docker-compose.yml', () => {
  it('runs ingest, detect, correlate, api and notify, each a real vigil command', () => {
    // One service per process, each running `vigil <that process>`.
    expect(vigilServices.map(([name]) => name).sort()).toEqual([...VIGIL_PROCESSES, ...VIGIL_SIDE_PROCESSES].sort());
    // notify needs a notify.yml the operator writes: it starts only when asked for, once.
    expect(compose.services.notify!.profiles).toEqual(['notify']);
    expect(compose.services.notify!.deploy?.replicas ?? 1).toBe(1);
    for (const [name, service] of vigilServices) {
      const args = commandArgs(service);
      expect(VIGIL_COMMANDS as readonly string[], `${name} runs "vigil ${args.join(' ')}"`).toContain(args[0]);
      expect(args).toEqual([name]);
    }
    // The image's entry point is the `vigil` command line, so `command:` is its subcommand.
    const entrypoint = runtime.instructions.findLast((i) => i.keyword === 'ENTRYPOINT');
    expect(execForm(entrypoint!.args)).toEqual(['node', '--import', 'tsx', 'bin/vigil.ts']);
  });

  it('sets only variables Vigil reads, with values its config accepts', () => {
    for (const variable of Object.keys(imageEnv).filter((name) => name.startsWith('VIGIL_'))) {
      expect(CONFIG_VARIABLES, `Dockerfile ENV ${variable}`).toContain(variable);
    }
    for (const [name, service] of vigilServices) {
      const env = serviceEnvironment(service);
      for (const variable of Object.keys(env)) expect(CONFIG_VARIABLES, `${name}: ${variable}`).toContain(variable);
      // What a fresh clone gets with no .env: every ${VAR:-default} at its default.
      const config = loadConfig(containerEnv(service));
      expect(config.bus, name).toBe('kafka');
      expect(config.store, name).toBe('elasticsearch');
    }
  });

  it('agrees on ports: listened on, published, probed and dialled', () => {
    for (const [name, service] of vigilServices) {
      const config = loadConfig(containerEnv(service));
      // Reachable from other containers and from the host, not only on loopback.
      expect(config.host, name).toBe('0.0.0.0');
      const probe = /https?:\/\/(?:127\.0\.0\.1|localhost):(\d+)\/readyz/.exec(healthcheckCommand(service));
      expect(probe, `${name} has a /readyz healthcheck`).not.toBeNull();
      expect(Number(probe![1]), `${name} healthcheck port`).toBe(config.port);
      for (const published of publishedPorts(service)) expect(published.container, `${name} publishes the port it listens on`).toBe(config.port);
    }
    // The console on http://localhost:8080; agents post to ingest's published port.
    expect(publishedPorts(compose.services.api!)).toEqual([{ host: 8080, container: 8080 }]);
    expect(publishedPorts(compose.services.ingest!)).toHaveLength(1);
    // Replicated processes cannot share a host port.
    expect(publishedPorts(compose.services.detect!)).toEqual([]);
    expect(publishedPorts(compose.services.correlate!)).toEqual([]);

    for (const [name, service] of vigilServices) {
      const config = loadConfig(containerEnv(service));
      for (const broker of config.kafka.brokers) {
        const { host, port } = hostPort(broker);
        const kafka = compose.services[host];
        expect(kafka, `${name} dials Kafka at ${broker}`).toBeDefined();
        const kafkaEnv = serviceEnvironment(kafka!);
        expect(kafkaEnv.KAFKA_ADVERTISED_LISTENERS!.split(','), `${host} advertises ${broker}`).toContain(`PLAINTEXT://${host}:${port}`);
        expect(kafkaEnv.KAFKA_LISTENERS, `${host} listens on ${port}`).toMatch(new RegExp(`PLAINTEXT://[^,]*:${port}(,|$)`));
        expect(healthcheckCommand(kafka!)).toContain(`--bootstrap-server ${host}:${port}`);
      }
      for (const node of config.search.nodes) {
        const { host, port } = hostPort(node);
        const search = compose.services[host];
        expect(search, `${name} dials the search node at ${node}`).toBeDefined();
        const listening = Number(serviceEnvironment(search!)['http.port'] ?? 9200);
        expect(port, `${host} listens on ${listening}`).toBe(listening);
        expect(healthcheckCommand(search!)).toContain(`:${port}/`);
      }
    }
    const kafkaEnv = serviceEnvironment(compose.services.kafka!);
    const controllerPort = /@[^:]+:(\d+)/.exec(kafkaEnv.KAFKA_CONTROLLER_QUORUM_VOTERS!)![1];
    expect(kafkaEnv.KAFKA_LISTENERS).toContain(`CONTROLLER://:${controllerPort}`);
  });

  it('pins every image: Kafka as the tests run it, Elasticsearch to the client, Vigil to the package', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      expect(service.image, `${name} names its image`).toBeDefined();
      const tag = imageTag(service.image!);
      expect(tag, `${name}: ${service.image} has an explicit version tag`).toMatch(/^\d+\.\d+\.\d+/);
    }
    const kafkaVersion = kafkaArtifacts.find((artifact) => artifact.artifactId.startsWith('kafka_'))!.version;
    expect(compose.services.kafka!.image).toBe(`apache/kafka:${kafkaVersion}`);
    const clientMajor = /(\d+)\./.exec(packageJson.dependencies['@elastic/elasticsearch']!)![1];
    expect(compose.services.elasticsearch!.image).toMatch(new RegExp(`^docker\\.elastic\\.co/elasticsearch/elasticsearch:${clientMajor}\\.\\d+\\.\\d+$`));
    for (const [name, service] of vigilServices) expect(service.image, name).toBe(`vigil:${packageJson.version}`);
    for (const stage of dockerfile.stages) expect(imageTag(stage.from), `FROM ${stage.from}`).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('runs Kafka in KRaft mode with no initial rebalance delay, and says how Elasticsearch is secured', () => {
    const kafkaEnv = serviceEnvironment(compose.services.kafka!);
    expect(kafkaEnv.KAFKA_PROCESS_ROLES!.split(',').sort()).toEqual(['broker', 'controller']);
    expect(kafkaEnv.KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS).toBe('0');
    const searchEnv = serviceEnvironment(compose.services.elasticsearch!);
    expect(searchEnv['discovery.type']).toBe('single-node');
    expect(['true', 'false']).toContain(searchEnv['xpack.security.enabled']);
    if (searchEnv['xpack.security.enabled'] === 'false') {
      // Off only with the reason written next to it, and with nothing published.
      expect(commentAbove(composePath, ['services', 'elasticsearch', 'environment'], 'xpack.security.enabled')).toMatch(/security is off/i);
      expect(publishedPorts(compose.services.elasticsearch!)).toEqual([]);
      expect(publishedPorts(compose.services.kafka!)).toEqual([]);
    } else {
      expect(searchEnv.ELASTIC_PASSWORD ?? searchEnv.ELASTIC_PASSWORD_FILE).toBeTruthy();
    }
  });

  it('starts each process once its dependencies are healthy, and runs detect and correlate twice', () => {
    expect(compose.services.detect!.deploy?.replicas).toBe(2);
    expect(compose.services.correlate!.deploy?.replicas).toBe(2);
    for (const [name, service] of vigilServices) {
      const dependsOn = service.depends_on;
      expect(dependsOn && !Array.isArray(dependsOn), `${name} waits on health conditions`).toBe(true);
      expect(Object.keys(dependsOn!).sort(), name).toEqual(['elasticsearch', 'kafka']);
      for (const [dependency, { condition }] of Object.entries(dependsOn as Record<string, { condition: string }>)) {
        expect(condition, `${name} → ${dependency}`).toBe('service_healthy');
        expect(compose.services[dependency]!.healthcheck, `${dependency} has a healthcheck`).toBeDefined();
      }
    }
  });
});

describe('Dockerfile', () => {
  const dockerignore = fs
    .readFileSync(path.join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const copies = runtime.instructions.filter((i) => i.keyword === 'COPY').map((i) => parseCopy(i.args));

  it('runs as a user other than root', () => {
    const user = runtime.instructions.findLast((i) => i.keyword === 'USER');
    expect(user, 'the runtime stage sets USER').toBeDefined();
    expect(user!.args.split(':')[0]).not.toMatch(/^(root|0)$/);
  });

  it('copies only sources that exist and that the build context does not exclude', () => {
    for (const stage of dockerfile.stages) {
      for (const copy of stage.instructions.filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD').map((i) => parseCopy(i.args))) {
        if (copy.from !== undefined) {
          expect(dockerfile.stages.map((s) => s.name), `COPY --from=${copy.from}`).toContain(copy.from);
          continue;
        }
        for (const source of copy.sources) {
          expect(fs.existsSync(path.join(repoRoot, source)), `COPY ${source}`).toBe(true);
          expect(dockerignore, `COPY ${source} is in the build context`).not.toContain(source);
        }
      }
    }
  });

  it('ships the console prebuilt by a build stage', () => {
    const builder = dockerfile.stages.find((stage) => stage.instructions.some((i) => i.keyword === 'RUN' && /vite build/.test(i.args)));
    expect(builder?.name).toBeDefined();
    expect(builder).not.toBe(runtime);
    expect(copies).toContainEqual(expect.objectContaining({ from: builder!.name, sources: ['/app/ui/dist'] }));
    expect(runtime.instructions.some((i) => i.keyword === 'RUN' && /vite|npm (ci|install)(?!.*--omit=dev)/.test(i.args))).toBe(false);
  });

  it('holds every source file `vigil` loads, and needs only production dependencies', () => {
    const copiedPaths = copies.filter((copy) => copy.from === undefined).flatMap((copy) => copy.sources);
    const graph = importGraph(repoRoot, 'bin/vigil.ts');
    for (const file of graph.files) {
      expect(copiedPaths.some((copied) => file === copied || file.startsWith(`${copied}/`)), `${file} is in the image`).toBe(true);
    }
    expect(copiedPaths).toContain('rules');
    for (const name of graph.packages) expect(Object.keys(packageJson.dependencies), `${name} is a production dependency`).toContain(name);
    const install = dockerfile.stages.flatMap((stage) => stage.instructions).find((i) => i.keyword === 'RUN' && /npm ci/.test(i.args));
    expect(install!.args).toContain('--omit=dev');
  });
});
