import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { cleanFreeText } from '../kernel/free-text.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';
import { listParkedMessages, requeueParked } from '../notifications/store.ts';
import { applyDecision, type RequestRow } from '../recovery-form/form-service.ts';
import type { EvidenceResult } from '../recovery-form/scoring.ts';
import {
  findSubmittedRequest,
  listDecidedRequests,
  listRequestsInReview,
  lockRequestInReview,
} from '../recovery-form/store.ts';
import { auditOperator, type Operator } from './operator-auth.ts';
import { listAuditEntries, operatorNamesById } from './store.ts';

/** What the console shows of a request: match results only, addresses masked, never a typed password. */
export interface RequestView {
  id: string;
  status: RequestRow['status'];
  maskedAccount: string;
  accountKnown: boolean;
  maskedContact: string;
  locale: string;
  score: number | null;
  evidence: EvidenceResult | null;
  country: string;
  submittedAt: Date | null;
  dueAt: Date | null;
  overdue: boolean;
  decidedBy: string | null;
  decisionReason: string | null;
  decidedAt: Date | null;
}

function view(deps: Pick<Deps, 'clock'>, r: RequestRow & { decided_by_name?: string | null }): RequestView {
  const evidence = r.evidence && 'passwords' in r.evidence ? (r.evidence as EvidenceResult) : null;
  return {
    id: r.id,
    status: r.status,
    maskedAccount: maskEmail(r.account_key),
    accountKnown: r.account_id !== null,
    maskedContact: maskEmail(r.contact_email),
    locale: r.locale,
    score: r.score,
    evidence,
    country: r.country,
    submittedAt: r.submitted_at,
    dueAt: r.due_at,
    overdue: r.status === 'review' && r.due_at !== null && r.due_at <= deps.clock.now(),
    decidedBy: r.decided_by === 'auto' ? 'auto' : (r.decided_by_name ?? r.decided_by),
    decisionReason: r.decision_reason,
    decidedAt: r.decided_at,
  };
}

/** Adds the name of the operator who decided each request (`decided_by_name`; null for 'auto' or unknown). */
async function withDeciderNames(
  deps: Pick<Deps, 'db'>,
  rows: RequestRow[],
): Promise<(RequestRow & { decided_by_name: string | null })[]> {
  const ids = [...new Set(rows.map((r) => r.decided_by).filter((v): v is string => typeof v === 'string'))];
  const names = await operatorNamesById(deps.db, ids);
  return rows.map((r) => ({
    ...r,
    decided_by_name: r.decided_by ? (names.get(r.decided_by) ?? null) : null,
  }));
}

/** Requests waiting for a reviewer, the closest deadline first. */
export async function reviewQueue(deps: Pick<Deps, 'db' | 'clock'>): Promise<RequestView[]> {
  const rows = await listRequestsInReview(deps.db);
  return rows.map((r) => view(deps, r));
}

/** Recently decided requests (for the console's history). */
export async function recentDecisions(deps: Pick<Deps, 'db' | 'clock'>): Promise<RequestView[]> {
  const rows = await withDeciderNames(deps, await listDecidedRequests(deps.db));
  return rows.map((r) => view(deps, r));
}

export async function requestDetail(deps: Pick<Deps, 'db' | 'clock'>, id: unknown): Promise<RequestView> {
  if (typeof id !== 'string' || id.length > 64) fail('recovery_form.not_found');
  const found = await findSubmittedRequest(deps.db, id);
  if (!found) fail('recovery_form.not_found');
  const [row] = await withDeciderNames(deps, [found]);
  return view(deps, row as RequestRow);
}

/**
 * A reviewer's decision, with a reason (required; ≤ 1000 code points of visible text, see
 * kernel/free-text.ts), audited in the same transaction.
 */
export async function decideRequest(
  deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'cipher' | 'emit'>,
  operator: Operator,
  id: unknown,
  input: { decision: unknown; reason: unknown },
  ctx: RequestContext,
): Promise<void> {
  const decision = input.decision;
  // Shown to other reviewers: kept as typed, but never blank-looking or reordered by direction controls.
  const reason = cleanFreeText(input.reason, { maxLength: 1000, multiline: true });
  if ((decision !== 'approve' && decision !== 'deny') || reason === null)
    throw new AppError('recovery_form.invalid', { field: 'reason' });
  await deps.db.tx(async (tx) => {
    const row = await lockRequestInReview(tx, typeof id === 'string' ? id : '');
    if (!row) fail('recovery_form.not_found');
    const done = await applyDecision(deps, tx, row, decision, operator.id, reason, ctx);
    if (!done) fail('recovery_form.not_found');
    await auditOperator(
      tx,
      operator,
      decision === 'approve' ? 'request.approve' : 'request.deny',
      row.id,
      { reason },
      deps.clock.now(),
    );
  });
}

export interface ParkedMessage {
  id: string;
  kind: string;
  channel: 'email' | 'sms';
  maskedRecipient: string;
  attempts: number;
  lastError: string;
  createdAt: Date;
}

/** Messages the dispatcher gave up on (status 'parked'). Recipients masked; bodies never shown. */
export async function parkedMessages(deps: Pick<Deps, 'db'>): Promise<ParkedMessage[]> {
  const rows = await listParkedMessages(deps.db);
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    channel: r.channel,
    maskedRecipient: r.channel === 'email' ? maskEmail(r.recipient) : maskPhone(r.recipient),
    attempts: r.attempts,
    lastError: r.last_error ?? '',
    createdAt: r.created_at,
  }));
}

/** Puts a parked message back in the queue (status pending, due now). Audited. */
export async function retryParked(
  deps: Pick<Deps, 'db' | 'clock'>,
  operator: Operator,
  id: unknown,
): Promise<void> {
  await deps.db.tx(async (tx) => {
    const msg = await requeueParked(tx, typeof id === 'string' ? id : '', deps.clock.now());
    if (!msg) fail('request.not_found');
    await auditOperator(tx, operator, 'outbox.retry', msg.id, { kind: msg.kind }, deps.clock.now());
  });
}

export interface AuditEntry {
  operatorName: string;
  action: string;
  target: string;
  detail: Record<string, string>;
  createdAt: Date;
}

export async function auditLog(deps: Pick<Deps, 'db'>, limit = 200): Promise<AuditEntry[]> {
  const rows = await listAuditEntries(deps.db, Math.min(Math.max(1, limit), 1000));
  return rows.map((r) => ({
    operatorName: r.operator_name,
    action: r.action,
    target: r.target,
    detail: r.detail ?? {},
    createdAt: r.created_at,
  }));
}
