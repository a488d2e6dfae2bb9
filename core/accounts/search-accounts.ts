// The Accounts adapter on the search store (Elasticsearch or OpenSearch), for the
// distributed deployment: every api and ingest replica reads the same units, people,
// agent keys, sessions and audit log. It speaks the REST API both products share,
// through the search store's client seam (core/store/search/search-client.ts).
//
// How the port's promises hold on a cluster:
// - Nothing is replaced silently: creates use `_create` (409 when the id exists), and
//   every read-modify-write carries if_seq_no/if_primary_term and retries on conflict.
// - Look-ups on the hot path (an agent key on every post, a session on every request)
//   are GETs by _id, which are realtime: no refresh needed, revocation is seen at once.
// - Ending every session of a user is one write: the user's session_epoch is bumped and
//   a session made in an older epoch no longer resolves, on every replica at once.
// - Writes that lists must show (units, users, agents, the audit log) refresh the
//   index before they resolve; they are rare, human-paced changes.
import { randomInt, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { BadInputError, ConflictError, NotFoundError, UnavailableError } from '../errors.ts';
import type { Logger } from '../log.ts';
import type { Scope } from '../ports/scope.ts';
import { productClient } from '../store/search/product-client.ts';
import type { SearchClient, SearchRequest } from '../store/search/search-client.ts';
import type { Accounts, Agent, AgentKey, AuditEntry, AuditPage, AuditQuery, NewAuditEntry, Unit, User, UserPatch, UserUnits } from './accounts.ts';
import { roleSchema } from './accounts.ts';
import { createPasswordHasher, type PasswordHasher } from './password-hasher.ts';
import { accountIndices, setUpAccountIndices, type AccountIndices } from './search-accounts-indices.ts';
import { newSecret, sha256Hex } from './secrets.ts';

export interface SearchAccountsOptions {
  flavor: 'elasticsearch' | 'opensearch';
  nodes: string[];
  username?: string;
  password?: string;
  tlsCaFile?: string;
  indexPrefix: string;
  /** Password hashes computed at once (config.security.passwordHashConcurrency); default 2. */
  passwordHashConcurrency?: number;
  hasher?: PasswordHasher;
  log?: Logger;
  /** Tests only: a Transport class for @elastic/elasticsearch against OpenSearch. */
  transport?: unknown;
}

/** How often an agent's last-seen time is written at most: ingest authenticates on every post. */
const LAST_SEEN_EVERY_MS = 60_000;
/** Most records a list answers: units, users and agents of a province are thousands, not millions. */
const MAX_LIST = 10_000;
/** Read-modify-write attempts before a conflict is reported. */
const MAX_ATTEMPTS = 8;
/** How often expired sessions are swept from the index. */
const SWEEP_EVERY_MS = 10 * 60_000;
const DUMMY_HASH = 'scrypt$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

interface UserDoc {
  username: string;
  role: string;
  units_all: boolean;
  units: string[];
  units_count: number;
  password_hash: string;
  disabled: boolean;
  session_epoch: number;
}
interface AgentDoc {
  id: string;
  name: string;
  unit_id: string;
  key_hash: string;
  created: string;
  rotated: string | null;
  revoked: string | null;
  last_seen: string | null;
  /** Absent in documents written before agents had a default format. */
  format?: string | null;
}
interface SessionDoc {
  username: string;
  expires: number;
  session_epoch: number;
}
interface AuditDoc extends Omit<AuditEntry, 'before' | 'after'> {
  seq: number;
  units_count: number;
  before: { value: unknown };
  after: { value: unknown };
}
interface Versioned<T> {
  source: T;
  seqNo: number;
  primaryTerm: number;
}

const auditCursorSchema = z.tuple([z.number().int(), z.string().min(1).max(100)]);

export async function openSearchAccounts(options: SearchAccountsOptions): Promise<Accounts> {
  const client = productClient(options);
  const indices = accountIndices(options.indexPrefix);
  try {
    await setUpAccountIndices(client, indices);
  } catch (error) {
    await client.close();
    throw error;
  }
  const hasher = options.hasher ?? createPasswordHasher({ concurrency: options.passwordHashConcurrency ?? 2 });
  return new SearchAccounts(client, indices, hasher, options.log);
}

class SearchAccounts implements Accounts {
  /** When each agent's last-seen time was last written by this process. */
  private readonly lastSeenWritten = new Map<string, number>();
  private lastSweep = 0;
  private lastSeqMs = 0;
  private seqInMs = 0;

  constructor(
    private readonly client: SearchClient,
    private readonly indices: AccountIndices,
    private readonly hasher: PasswordHasher,
    private readonly log: Logger | undefined,
  ) {}

  // --- units ---------------------------------------------------------------------

  async createUnit(unit: Unit): Promise<Unit> {
    const created = await this.create(this.indices.units, unit.id, { id: unit.id, name: unit.name }, true);
    if (!created) throw new ConflictError(`unit "${unit.id}" exists`, 'accounts');
    return { id: unit.id, name: unit.name };
  }

  async renameUnit(id: string, name: string): Promise<{ before: Unit; after: Unit }> {
    return this.modify<Unit, { before: Unit; after: Unit }>(this.indices.units, id, `no unit "${id}"`, (before) => {
      const after = { id, name };
      return { doc: after, result: { before: { id: before.id, name: before.name }, after } };
    });
  }

  async listUnits(scope?: Scope): Promise<Unit[]> {
    const filter = scope && scope.kind === 'units' ? [{ terms: { id: [...scope.units] } }] : [];
    const docs = await this.searchAll<Unit>(this.indices.units, filter, [{ id: 'asc' }]);
    return docs.map((doc) => ({ id: doc.id, name: doc.name }));
  }

  async getUnit(id: string): Promise<Unit | null> {
    const doc = await this.get<Unit>(this.indices.units, id);
    return doc ? { id: doc.source.id, name: doc.source.name } : null;
  }

  // --- users ---------------------------------------------------------------------

  async createUser(user: Pick<User, 'username' | 'role' | 'units'>, password: string): Promise<User> {
    if (await this.get(this.indices.users, user.username)) throw new ConflictError(`user "${user.username}" exists`, 'accounts');
    await this.checkUnitsExist(user.units);
    const doc: UserDoc = {
      username: user.username,
      role: user.role,
      ...unitsFields(user.units),
      password_hash: await this.hasher.hash(password),
      disabled: false,
      // Random, so a user deleted and created again never revives the old user's sessions.
      session_epoch: randomInt(2 ** 47),
    };
    // Created by a concurrent call while this one was hashing: still a conflict.
    if (!(await this.create(this.indices.users, user.username, doc, true))) {
      throw new ConflictError(`user "${user.username}" exists`, 'accounts');
    }
    return toUser(doc);
  }

  async getUser(username: string): Promise<User | null> {
    const doc = await this.get<UserDoc>(this.indices.users, username);
    return doc ? toUser(doc.source) : null;
  }

  async listUsers(scope?: Scope): Promise<User[]> {
    const filter =
      scope && scope.kind === 'units'
        ? [{ term: { units_all: false } }, { range: { units_count: { gte: 1 } } }, whollyWithin('units', scope.units)]
        : [];
    return (await this.searchAll<UserDoc>(this.indices.users, filter, [{ username: 'asc' }])).map(toUser);
  }

  async updateUser(username: string, patch: UserPatch): Promise<{ before: User; after: User }> {
    if (patch.units !== undefined) await this.checkUnitsExist(patch.units);
    return this.modify<UserDoc, { before: User; after: User }>(this.indices.users, username, `no user "${username}"`, (doc) => {
      const before = toUser(doc);
      const after: User = {
        ...before,
        ...(patch.role !== undefined ? { role: patch.role } : {}),
        ...(patch.units !== undefined ? { units: patch.units } : {}),
        ...(patch.disabled !== undefined ? { disabled: patch.disabled } : {}),
      };
      const scopeChanged = after.role !== before.role || JSON.stringify(after.units) !== JSON.stringify(before.units);
      const endSessions = scopeChanged || (after.disabled && !before.disabled);
      const next: UserDoc = {
        ...doc,
        role: after.role,
        ...unitsFields(after.units),
        disabled: after.disabled,
        session_epoch: endSessions ? doc.session_epoch + 1 : doc.session_epoch,
      };
      return { doc: next, result: { before, after } };
    });
  }

  async deleteUser(username: string): Promise<User> {
    const doc = await this.get<UserDoc>(this.indices.users, username);
    if (!doc) throw new NotFoundError(`no user "${username}"`, 'accounts');
    const answer = await this.request({
      method: 'DELETE',
      path: `/${this.indices.users}/_doc/${encodeURIComponent(username)}`,
      querystring: { refresh: 'true', if_seq_no: doc.seqNo, if_primary_term: doc.primaryTerm },
    });
    if (answer.status === 404 || answer.status === 409) throw new NotFoundError(`no user "${username}"`, 'accounts');
    this.expectOk(answer, `delete user ${username}`);
    // Sessions of a deleted user no longer resolve (getSession needs the user); sweep them.
    this.deleteSessionsOf(username);
    return toUser(doc.source);
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (!(await this.get(this.indices.users, username))) throw new NotFoundError(`no user "${username}"`, 'accounts');
    const hash = await this.hasher.hash(password);
    await this.modify<UserDoc, void>(this.indices.users, username, `no user "${username}"`, (doc) => ({
      doc: { ...doc, password_hash: hash, session_epoch: doc.session_epoch + 1 },
      result: undefined,
    }));
  }

  async changePassword(username: string, oldPassword: string, newPassword: string): Promise<boolean> {
    const doc = await this.get<UserDoc>(this.indices.users, username);
    const ok = await this.hasher.verify(oldPassword, doc?.source.password_hash ?? DUMMY_HASH);
    if (!ok || !doc) return false;
    const hash = await this.hasher.hash(newPassword);
    await this.modify<UserDoc, void>(this.indices.users, username, `no user "${username}"`, (current) => ({
      doc: { ...current, password_hash: hash, session_epoch: current.session_epoch + 1 },
      result: undefined,
    }));
    return true;
  }

  async checkPassword(username: string, password: string): Promise<User | null> {
    const doc = await this.get<UserDoc>(this.indices.users, username);
    const ok = await this.hasher.verify(password, doc?.source.password_hash ?? DUMMY_HASH);
    return ok && doc && !doc.source.disabled ? toUser(doc.source) : null;
  }

  // --- agents --------------------------------------------------------------------

  async createAgent(unitId: string, name: string, key: string = newSecret('vgl_')): Promise<AgentKey> {
    const unit = await this.getUnit(unitId);
    if (!unit) throw new NotFoundError(`unknown unit "${unitId}"`, 'accounts');
    const doc: AgentDoc = {
      id: randomUUID(),
      name,
      unit_id: unitId,
      key_hash: sha256Hex(key),
      created: new Date().toISOString(),
      rotated: null,
      revoked: null,
      last_seen: null,
    };
    if (!(await this.create(this.indices.agentKeys, doc.key_hash, { agent_id: doc.id }, false))) {
      throw new ConflictError('that agent key is already in use', 'accounts');
    }
    await this.create(this.indices.agents, doc.id, doc, true);
    return { agent: toAgent(doc, unit), key };
  }

  async authenticateAgent(key: string): Promise<Agent | null> {
    const hash = sha256Hex(key);
    const binding = await this.get<{ agent_id: string }>(this.indices.agentKeys, hash);
    if (!binding) return null;
    const agent = await this.get<AgentDoc>(this.indices.agents, binding.source.agent_id);
    // The agent's own record decides: a key left behind by an interrupted rotation or
    // revocation is refused here even if its binding survived.
    if (!agent || agent.source.revoked !== null || agent.source.key_hash !== hash) return null;
    const unit = await this.getUnit(agent.source.unit_id);
    if (!unit) return null;
    const now = Date.now();
    if (now - (this.lastSeenWritten.get(agent.source.id) ?? -Infinity) >= LAST_SEEN_EVERY_MS) {
      this.lastSeenWritten.set(agent.source.id, now);
      agent.source.last_seen = new Date(now).toISOString();
      const answer = await this.request({
        method: 'POST',
        path: `/${this.indices.agents}/_update/${encodeURIComponent(agent.source.id)}`,
        body: { doc: { last_seen: agent.source.last_seen } },
      });
      if (answer.status >= 300) this.log?.warn({ status: answer.status, agent: agent.source.id }, 'could not record when an agent was last seen');
    }
    return toAgent(agent.source, unit);
  }

  async getAgent(id: string): Promise<Agent | null> {
    const doc = await this.get<AgentDoc>(this.indices.agents, id);
    if (!doc) return null;
    const unit = await this.getUnit(doc.source.unit_id);
    return toAgent(doc.source, unit ?? { id: doc.source.unit_id, name: doc.source.unit_id });
  }

  async listAgents(scope?: Scope): Promise<Agent[]> {
    const filter = scope && scope.kind === 'units' ? [{ terms: { unit_id: [...scope.units] } }] : [];
    const docs = await this.searchAll<AgentDoc>(this.indices.agents, filter, [{ created: 'asc' }, { id: 'asc' }]);
    const units = new Map((await this.listUnits()).map((unit) => [unit.id, unit]));
    return docs.map((doc) => toAgent(doc, units.get(doc.unit_id) ?? { id: doc.unit_id, name: doc.unit_id }));
  }

  async rotateAgent(id: string): Promise<AgentKey> {
    const key = newSecret('vgl_');
    const hash = sha256Hex(key);
    await this.create(this.indices.agentKeys, hash, { agent_id: id }, false);
    let oldHash: string | undefined;
    let rotated: AgentDoc;
    try {
      rotated = await this.modify<AgentDoc, AgentDoc>(this.indices.agents, id, `no active agent ${id}`, (doc) => {
        if (doc.revoked !== null) throw new NotFoundError(`no active agent ${id}`, 'accounts');
        oldHash = doc.key_hash;
        const next = { ...doc, key_hash: hash, rotated: new Date().toISOString() };
        return { doc: next, result: next };
      });
    } catch (error) {
      await this.deleteDoc(this.indices.agentKeys, hash);
      throw error;
    }
    if (oldHash !== undefined) await this.deleteDoc(this.indices.agentKeys, oldHash);
    const unit = await this.getUnit(rotated.unit_id);
    return { agent: toAgent(rotated, unit ?? { id: rotated.unit_id, name: rotated.unit_id }), key };
  }

  async revokeAgent(id: string): Promise<Agent | null> {
    let revoked: AgentDoc;
    try {
      revoked = await this.modify<AgentDoc, AgentDoc>(this.indices.agents, id, `no agent ${id}`, (doc) => {
        if (doc.revoked !== null) throw new NotFoundError(`agent ${id} is already revoked`, 'accounts');
        const next = { ...doc, revoked: new Date().toISOString() };
        return { doc: next, result: next };
      });
    } catch (error) {
      if (error instanceof NotFoundError) return null;
      throw error;
    }
    await this.deleteDoc(this.indices.agentKeys, revoked.key_hash);
    this.lastSeenWritten.delete(id);
    const unit = await this.getUnit(revoked.unit_id);
    return toAgent(revoked, unit ?? { id: revoked.unit_id, name: revoked.unit_id });
  }

  async setAgentFormat(id: string, format: string | null): Promise<Agent> {
    const changed = await this.modify<AgentDoc, AgentDoc>(this.indices.agents, id, `no agent ${id}`, (doc) => {
      const next = { ...doc, format };
      return { doc: next, result: next };
    });
    const unit = await this.getUnit(changed.unit_id);
    return toAgent(changed, unit ?? { id: changed.unit_id, name: changed.unit_id });
  }

  // --- sessions ------------------------------------------------------------------

  async createSession(username: string, ttlMs: number): Promise<string> {
    const user = await this.get<UserDoc>(this.indices.users, username);
    const token = newSecret('', 32);
    const doc: SessionDoc = { username, expires: Date.now() + ttlMs, session_epoch: user?.source.session_epoch ?? -1 };
    // Read back by _id (realtime): no refresh needed.
    await this.create(this.indices.sessions, sha256Hex(token), doc, false);
    this.sweepExpiredSessions();
    return token;
  }

  async getSession(token: string): Promise<User | null> {
    const session = await this.get<SessionDoc>(this.indices.sessions, sha256Hex(token));
    if (!session || session.source.expires <= Date.now()) return null;
    const user = await this.get<UserDoc>(this.indices.users, session.source.username);
    if (!user || user.source.disabled || user.source.session_epoch !== session.source.session_epoch) return null;
    return toUser(user.source);
  }

  async deleteSession(token: string): Promise<void> {
    await this.deleteDoc(this.indices.sessions, sha256Hex(token));
  }

  async deleteUserSessions(username: string): Promise<void> {
    try {
      await this.modify<UserDoc, void>(this.indices.users, username, `no user "${username}"`, (doc) => ({
        doc: { ...doc, session_epoch: doc.session_epoch + 1 },
        result: undefined,
      }));
    } catch (error) {
      // No such user: no sessions to end.
      if (!(error instanceof NotFoundError)) throw error;
    }
  }

  // --- audit log -----------------------------------------------------------------

  async appendAudit(entry: NewAuditEntry): Promise<AuditEntry> {
    const units = [...new Set(entry.units)];
    const stored: AuditEntry = { ...entry, units, id: randomUUID(), time: new Date().toISOString() };
    const doc: AuditDoc = {
      ...stored,
      seq: this.nextSeq(),
      units_count: units.length,
      // Wrapped: before/after may be any JSON (a string, a list), and the field is not indexed.
      before: { value: entry.before ?? null },
      after: { value: entry.after ?? null },
    };
    await this.create(this.indices.audit, stored.id, doc, true);
    return { ...stored, before: entry.before ?? null, after: entry.after ?? null };
  }

  async listAudit(query: AuditQuery, scope?: Scope): Promise<AuditPage> {
    const filter: unknown[] = [];
    if (query.actor !== undefined) filter.push({ term: { actor: query.actor } });
    if (query.action !== undefined) filter.push({ term: { action: query.action } });
    if (query.unit !== undefined) filter.push({ term: { units: query.unit } });
    if (query.from !== undefined || query.to !== undefined) {
      filter.push({
        range: {
          time: {
            ...(query.from !== undefined ? { gte: isoTime(query.from, 'from') } : {}),
            ...(query.to !== undefined ? { lte: isoTime(query.to, 'to') } : {}),
          },
        },
      });
    }
    if (scope && scope.kind === 'units') {
      // Only entries about the scope's units, and about nothing outside them.
      filter.push({ range: { units_count: { gte: 1 } } }, whollyWithin('units', scope.units));
    }
    const after = query.cursor === undefined ? undefined : decodeAuditCursor(query.cursor);
    const answer = await this.request<SearchBody<AuditDoc>>({
      method: 'POST',
      path: `/${this.indices.audit}/_search`,
      body: {
        size: query.limit + 1,
        query: { bool: { filter } },
        sort: [{ seq: 'desc' }, { id: 'desc' }],
        ...(after === undefined ? {} : { search_after: after }),
      },
    });
    this.expectOk(answer, 'read the audit log');
    const hits = answer.body.hits.hits.map((hit) => hit._source);
    const page = hits.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toAuditEntry),
      next: hits.length > query.limit && last ? encodeAuditCursor(last.seq, last.id) : null,
    };
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  // --- REST helpers ----------------------------------------------------------------

  private async request<T = unknown>(request: SearchRequest) {
    return this.client.request<T>(request);
  }

  private expectOk(answer: { status: number; body: unknown }, what: string): void {
    if (answer.status >= 300) throw new UnavailableError(`accounts: cannot ${what}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 500)}`, 'accounts');
  }

  private async get<T>(index: string, id: string): Promise<Versioned<T> | null> {
    const answer = await this.request<{ found?: boolean; _source: T; _seq_no: number; _primary_term: number }>({
      method: 'GET',
      path: `/${index}/_doc/${encodeURIComponent(id)}`,
    });
    if (answer.status === 404) return null;
    this.expectOk(answer, `read ${id}`);
    if (answer.body.found === false) return null;
    return { source: answer.body._source, seqNo: answer.body._seq_no, primaryTerm: answer.body._primary_term };
  }

  /** Creates a record unless its id exists: true when created, false when it existed. */
  private async create(index: string, id: string, doc: unknown, visibleToLists: boolean): Promise<boolean> {
    const answer = await this.request({
      method: 'PUT',
      path: `/${index}/_create/${encodeURIComponent(id)}`,
      ...(visibleToLists ? { querystring: { refresh: 'true' } } : {}),
      body: doc,
    });
    if (answer.status === 409) return false;
    this.expectOk(answer, `create ${id}`);
    return true;
  }

  private async deleteDoc(index: string, id: string): Promise<void> {
    const answer = await this.request({ method: 'DELETE', path: `/${index}/_doc/${encodeURIComponent(id)}` });
    if (answer.status !== 404) this.expectOk(answer, `delete ${id}`);
  }

  /**
   * Read-modify-write with optimistic concurrency: `change` sees the current record and
   * answers the new one; a concurrent writer makes it run again on the newer record.
   */
  private async modify<T, R>(index: string, id: string, missing: string, change: (current: T) => { doc: T; result: R }): Promise<R> {
    for (let attempt = 1; ; attempt += 1) {
      const current = await this.get<T>(index, id);
      if (!current) throw new NotFoundError(missing, 'accounts');
      const { doc, result } = change(current.source);
      const answer = await this.request({
        method: 'PUT',
        path: `/${index}/_doc/${encodeURIComponent(id)}`,
        querystring: { refresh: 'true', if_seq_no: current.seqNo, if_primary_term: current.primaryTerm },
        body: doc,
      });
      if (answer.status === 409 && attempt < MAX_ATTEMPTS) continue;
      if (answer.status === 409) throw new ConflictError(`${id} kept changing under this update; try again`, 'accounts');
      this.expectOk(answer, `update ${id}`);
      return result;
    }
  }

  private async searchAll<T>(index: string, filter: unknown[], sort: unknown[]): Promise<T[]> {
    const answer = await this.request<SearchBody<T>>({
      method: 'POST',
      path: `/${index}/_search`,
      body: { size: MAX_LIST, query: { bool: { filter } }, sort },
    });
    this.expectOk(answer, `list ${index}`);
    return answer.body.hits.hits.map((hit) => hit._source);
  }

  private async checkUnitsExist(units: UserUnits): Promise<void> {
    if (units === 'all') return;
    const answer = await this.request<{ docs: { _id: string; found: boolean }[] }>({
      method: 'POST',
      path: `/${this.indices.units}/_mget`,
      body: { ids: units },
    });
    this.expectOk(answer, 'check units');
    const missing = answer.body.docs.filter((doc) => !doc.found).map((doc) => doc._id);
    if (missing.length > 0) throw new BadInputError(`unknown unit(s): ${missing.join(', ')}`, 'accounts');
  }

  /** Best effort, in the background: an ended session already fails getSession. */
  private deleteSessionsOf(username: string): void {
    this.request({
      method: 'POST',
      path: `/${this.indices.sessions}/_delete_by_query`,
      querystring: { conflicts: 'proceed' },
      body: { query: { term: { username } } },
    }).catch((error: unknown) => this.log?.warn({ err: error }, 'sweeping the sessions of a deleted user failed'));
  }

  private sweepExpiredSessions(): void {
    const now = Date.now();
    if (now - this.lastSweep < SWEEP_EVERY_MS) return;
    this.lastSweep = now;
    this.request({
      method: 'POST',
      path: `/${this.indices.sessions}/_delete_by_query`,
      querystring: { conflicts: 'proceed' },
      body: { query: { range: { expires: { lte: now } } } },
    }).catch((error: unknown) => this.log?.warn({ err: error }, 'sweeping expired sessions failed'));
  }

  /**
   * A sortable sequence for the audit log: milliseconds × 1000 plus a counter, so entries
   * this process appends in one millisecond keep their order (newest first).
   */
  private nextSeq(): number {
    const now = Date.now();
    if (now > this.lastSeqMs) {
      this.lastSeqMs = now;
      this.seqInMs = 0;
    } else if (++this.seqInMs >= 1000) {
      this.lastSeqMs += 1;
      this.seqInMs = 0;
    }
    return this.lastSeqMs * 1000 + this.seqInMs;
  }
}

interface SearchBody<T> {
  hits: { hits: { _source: T }[] };
}

/** A filter that keeps records whose every value of `field` is one of `allowed`. */
function whollyWithin(field: string, allowed: readonly string[]): unknown {
  return { terms_set: { [field]: { terms: [...allowed], minimum_should_match_field: `${field}_count` } } };
}

function unitsFields(units: UserUnits): Pick<UserDoc, 'units_all' | 'units' | 'units_count'> {
  return units === 'all' ? { units_all: true, units: [], units_count: 0 } : { units_all: false, units: [...units], units_count: units.length };
}

function toUser(doc: UserDoc): User {
  return { username: doc.username, role: roleSchema.parse(doc.role), units: doc.units_all ? 'all' : [...doc.units], disabled: doc.disabled };
}

function toAgent(doc: AgentDoc, unit: Unit): Agent {
  return {
    id: doc.id,
    name: doc.name,
    unit: { id: unit.id, name: unit.name },
    created: doc.created,
    rotated: doc.rotated,
    revoked: doc.revoked,
    lastSeen: doc.last_seen,
    ...(doc.format === undefined || doc.format === null ? {} : { format: doc.format }),
  };
}

function toAuditEntry(doc: AuditDoc): AuditEntry {
  return {
    id: doc.id,
    time: doc.time,
    actor: doc.actor,
    source: doc.source,
    action: doc.action,
    target: doc.target,
    units: doc.units,
    before: doc.before.value,
    after: doc.after.value,
  };
}

function encodeAuditCursor(seq: number, id: string): string {
  return Buffer.from(JSON.stringify([seq, id])).toString('base64url');
}

function decodeAuditCursor(cursor: string): [number, string] {
  try {
    return auditCursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new BadInputError('cursor is not one this server issued', 'accounts');
  }
}

function isoTime(value: string, name: string): string {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new BadInputError(`${name} is not a time: ${value}`, 'accounts');
  return new Date(ms).toISOString();
}
