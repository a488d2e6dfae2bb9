// First start: make the instance usable at once. Creates the `admin` user, a unit and an
// agent key for it, from config when given, else generated. Generated secrets are
// returned so the caller prints them once; they are never written anywhere in clear.
import type { Accounts } from './accounts.ts';
import { newSecret } from './secrets.ts';

export interface BootstrapResult {
  /** Set when the admin user was created with a generated password. */
  generatedAdminPassword?: string;
  adminCreated: boolean;
  unitId: string;
  /** Set when an agent key was created with a generated key. */
  generatedAgentKey?: string;
}

export async function bootstrapAccounts(
  accounts: Accounts,
  options: { adminPassword?: string; bootstrapUnit?: string; bootstrapAgentKey?: string },
): Promise<BootstrapResult> {
  const result: BootstrapResult = { adminCreated: false, unitId: options.bootstrapUnit ?? 'default' };

  if (!(await accounts.getUser('admin'))) {
    const password = options.adminPassword ?? newSecret('', 12);
    await accounts.createUser({ username: 'admin', role: 'admin', units: 'all' }, password);
    result.adminCreated = true;
    if (!options.adminPassword) result.generatedAdminPassword = password;
  }

  if (!(await accounts.getUnit(result.unitId))) {
    await accounts.createUnit({ id: result.unitId, name: result.unitId === 'default' ? 'Default unit' : result.unitId });
  }

  if (options.bootstrapAgentKey) {
    // A configured key is created once, and kept on later starts.
    if (!(await accounts.authenticateAgent(options.bootstrapAgentKey))) {
      await accounts.createAgent(result.unitId, 'bootstrap agent', options.bootstrapAgentKey);
    }
  } else if ((await accounts.listAgents()).length === 0) {
    const { key } = await accounts.createAgent(result.unitId, 'bootstrap agent');
    result.generatedAgentKey = key;
  }
  return result;
}
