import type { Sql } from '../kernel/sql.ts';
import { policyForAccount } from './account-policy.ts';
import { storedPolicy } from './policy.ts';
import { listOrganisations } from './store/orgs.ts';
import { currentPolicy } from './store/policies.ts';

/**
 * Periodic re-confirmation under an organisation's policy (issue 9 §2: "re-confirm every N days", after
 * Entra ID's "number of days before users are asked to re-confirm their authentication information").
 */

/**
 * How often (days) the account is asked "is this security info still yours?": its organisation's
 * `reconfirmDays` for a member (0 = never), else `deploymentDays` (PERIODIC_CHECK_DAYS).
 */
export async function reconfirmDaysFor(sql: Sql, accountId: string, deploymentDays: number): Promise<number> {
  const { policy } = await policyForAccount(sql, accountId);
  return policy ? policy.reconfirmDays : deploymentDays;
}

/**
 * The shortest period (days, > 0) any account may be under: the deployment's and every organisation's
 * current `reconfirmDays`; 0 when every period is 0 (nobody is ever asked). For the reminder round's cut-off.
 */
export async function shortestReconfirmDays(sql: Sql, deploymentDays: number): Promise<number> {
  const periods = [deploymentDays];
  for (const org of await listOrganisations(sql))
    periods.push(storedPolicy((await currentPolicy(sql, org.id))?.policy).reconfirmDays);
  const positive = periods.filter((d) => d > 0);
  return positive.length > 0 ? Math.min(...positive) : 0;
}
