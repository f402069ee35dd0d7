import type { Deps } from '../deps.ts';
import type { RequestContext } from '../kernel/context.ts';
import { AppError, fail } from '../kernel/errors.ts';
import { cleanFreeText } from '../kernel/free-text.ts';
import { maskEmail, maskPhone } from '../kernel/mask.ts';
import { applyDecision, type RequestRow } from '../recovery-form/form-service.ts';
import type { EvidenceResult } from '../recovery-form/scoring.ts';
import { auditOperator, type Operator } from './operator-auth.ts';

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

function view(deps: Deps, r: RequestRow & { decided_by_name?: string | null }): RequestView {
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

/** Requests waiting for a reviewer, the closest deadline first. */
export async function reviewQueue(deps: Deps): Promise<RequestView[]> {
  const rows = await deps.db.query<RequestRow>(
    `SELECT * FROM recovery_requests WHERE status = 'review' ORDER BY due_at, id LIMIT 200`,
  );
  return rows.map((r) => view(deps, r));
}

/** Recently decided requests (for the console's history). */
export async function recentDecisions(deps: Deps): Promise<RequestView[]> {
  const rows = await deps.db.query<RequestRow>(
    `SELECT r.*, o.name AS decided_by_name FROM recovery_requests r LEFT JOIN operators o ON o.id = r.decided_by
     WHERE r.status IN ('approved', 'denied') ORDER BY r.decided_at DESC, r.id LIMIT 50`,
  );
  return rows.map((r) => view(deps, r));
}

export async function requestDetail(deps: Deps, id: unknown): Promise<RequestView> {
  if (typeof id !== 'string' || id.length > 64) fail('recovery_form.not_found');
  const row = (
    await deps.db.query<RequestRow>(
      `SELECT r.*, o.name AS decided_by_name FROM recovery_requests r LEFT JOIN operators o ON o.id = r.decided_by
       WHERE r.id = $1 AND r.status <> 'draft'`,
      [id],
    )
  )[0];
  if (!row) fail('recovery_form.not_found');
  return view(deps, row);
}

/**
 * A reviewer's decision, with a reason (required; ≤ 1000 code points of visible text, see
 * kernel/free-text.ts), audited in the same transaction.
 */
export async function decideRequest(
  deps: Deps,
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
    const row = (
      await tx.query<RequestRow>(
        `SELECT * FROM recovery_requests WHERE id = $1 AND status = 'review' FOR UPDATE`,
        [typeof id === 'string' ? id : ''],
      )
    )[0];
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
export async function parkedMessages(deps: Deps): Promise<ParkedMessage[]> {
  const rows = await deps.db.query<{
    id: string;
    kind: string;
    channel: 'email' | 'sms';
    recipient: string;
    attempts: number;
    last_error: string | null;
    created_at: Date;
  }>(
    `SELECT id, kind, channel, recipient, attempts, last_error, created_at FROM outbox WHERE status = 'parked'
     ORDER BY created_at DESC, id LIMIT 200`,
  );
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
export async function retryParked(deps: Deps, operator: Operator, id: unknown): Promise<void> {
  await deps.db.tx(async (tx) => {
    const rows = await tx.query<{ id: string; kind: string }>(
      `UPDATE outbox SET status = 'pending', next_attempt_at = $2, lease_until = NULL
       WHERE id = $1 AND status = 'parked' RETURNING id, kind`,
      [typeof id === 'string' ? id : '', deps.clock.now()],
    );
    if (!rows[0]) fail('request.not_found');
    await auditOperator(tx, operator, 'outbox.retry', rows[0].id, { kind: rows[0].kind }, deps.clock.now());
  });
}

export interface AuditEntry {
  operatorName: string;
  action: string;
  target: string;
  detail: Record<string, string>;
  createdAt: Date;
}

export async function auditLog(deps: Deps, limit = 200): Promise<AuditEntry[]> {
  const rows = await deps.db.query<{
    operator_name: string;
    action: string;
    target: string;
    detail: Record<string, string>;
    created_at: Date;
  }>(
    'SELECT operator_name, action, target, detail, created_at FROM operator_audit ORDER BY seq DESC LIMIT $1',
    [Math.min(Math.max(1, limit), 1000)],
  );
  return rows.map((r) => ({
    operatorName: r.operator_name,
    action: r.action,
    target: r.target,
    detail: r.detail ?? {},
    createdAt: r.created_at,
  }));
}
