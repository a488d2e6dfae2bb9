// Where the services script keeps its files: everything lives under <repo>/.services/
// (gitignored), so every engineer on the shared tree sees the same running services.
// VIGIL_SERVICES_DIR points it elsewhere, for a private pair that nobody else reuses.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const servicesDir = path.resolve(process.env.VIGIL_SERVICES_DIR ?? path.join(repoRoot, '.services'));
export const stateFile = path.join(servicesDir, 'state.json');
export const lockFile = path.join(servicesDir, 'state.lock');
export const kafkaDir = path.join(servicesDir, 'kafka');
export const opensearchDir = path.join(servicesDir, 'opensearch');
export const mavenDir = path.join(servicesDir, 'maven');
