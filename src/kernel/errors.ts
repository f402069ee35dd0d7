/**
 * One error type for every expected failure. `code` is stable and documented in docs/errors.md; the HTTP
 * status always comes from the registry (`ERROR_STATUS`), never from the thrower. The message shown to
 * people comes from the i18n dictionaries, keyed by the code, with `params` (public); `cause` is the
 * internal reason (logged, never answered), after node-oidc-provider's `error_description` / `error_detail`.
 */
export class AppError extends Error {
  /** HTTP status, from the registry. */
  readonly status: number;
  /** request.invalid: the fields that are wrong (answered as `error.fields`). */
  readonly fields: readonly FieldProblem[];
  /** Whether the code and message may be answered as they are (4xx); a 5xx answers `internal` only. */
  readonly expose: boolean;

  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, string | number> = {},
    options: { fields?: readonly FieldProblem[]; cause?: unknown } = {},
  ) {
    super(code, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
    this.fields = options.fields ?? [];
    this.expose = this.status < 500;
  }
}

/** One wrong field of a request: where, its JSON pointer, and why (`required`, `unknown`, `type`, …). */
export interface FieldProblem {
  in: string;
  path: string;
  code: string;
}

/** Every stable error code, with its HTTP status. Codes are never renamed once released. */
export const ERROR_STATUS = {
  'request.invalid': 400,
  'request.confirmation_required': 400,
  'request.too_large': 413,
  'request.csrf': 403,
  'request.not_found': 404,
  'request.rate_limited': 429,
  'request.malformed': 400,
  'request.uri_too_long': 414,
  'request.unsupported_media_type': 415,
  'request.method_not_allowed': 405,
  'request.timeout': 408,
  'request.headers_too_large': 431,
  'auth.required': 401,
  'auth.invalid_credentials': 401,
  'auth.reauth_required': 403,
  'auth.password_change_required': 403,
  'auth.throttled': 429,
  'account.email_invalid': 400,
  'account.email_disposable': 400,
  'account.email_typo': 400,
  'account.display_name_invalid': 400,
  'account.time_zone_invalid': 400,
  'password.too_short': 400,
  'password.too_long': 400,
  'password.common': 400,
  'password.same_as_current': 400,
  'password.contains_email': 400,
  'password.same_as_phrase': 400,
  'contact.email_invalid': 400,
  'contact.email_disposable': 400,
  'contact.email_same_as_primary': 400,
  'contact.email_typo': 400,
  'contact.already_added': 409,
  'contact.limit_reached': 409,
  'contact.not_found': 404,
  'contact.last_method': 409,
  'contact.label_invalid': 400,
  'phone.invalid': 400,
  'phone.not_mobile': 400,
  'phone.country_unsupported': 400,
  'phone.country_limit': 429,
  'code.wrong': 400,
  'code.invalid': 400,
  'code.used': 400,
  'code.expired': 400,
  'code.too_many_attempts': 429,
  'code.resend_wait': 429,
  'code.daily_limit': 429,
  'code.not_found': 400,
  'code.format': 400,
  'recovery_code.format': 400,
  'recovery_code.stale': 409,
  'reference.invalid': 400,
  'reset.flow_invalid': 400,
  'session.not_found': 404,
  'two_step.needs_two_methods': 409,
  'signin.flow_invalid': 400,
  'phrase.invalid': 400,
  'phrase.is_password': 400,
  'phrase.contains_email': 400,
  'phrase.contains_phone': 400,
  'account.restricted': 423,
  'replacement.not_found': 404,
  'replacement.already_pending': 409,
  'replacement.invalid': 400,
  'replacement.recovery_code_too_new': 409,
  'recovery_form.limit': 429,
  'recovery_form.not_allowed': 409,
  'recovery_form.pow_invalid': 400,
  'recovery_form.invalid': 400,
  'recovery_form.not_found': 404,
  'operator.required': 401,
  'operator.invalid_credentials': 401,
  'operator.setup_invalid': 400,
  'operator.name_invalid': 400,
  'operator.name_taken': 409,
  'org.not_found': 404,
  'org.forbidden': 403,
  'org.two_step_required': 403,
  'org.target_forbidden': 403,
  'org.name_invalid': 400,
  'org.contact_invalid': 400,
  'org.domain_invalid': 400,
  'org.domain_taken': 409,
  'org.already_member': 409,
  'org.not_member': 404,
  'org.role_invalid': 400,
  'org.last_admin': 409,
  'org.invitation_invalid': 400,
  'org.policy_invalid': 400,
  'org.policy_conflict': 409,
  'org.token_invalid': 401,
  'org.token_name_invalid': 400,
  'org.tap_invalid': 400,
  'policy.method_not_allowed': 403,
  'policy.country_not_allowed': 403,
  'policy.method_required': 409,
  'policy.snooze_unavailable': 409,
  'policy.reset_methods': 409,
  'policy.registration_required': 403,
  // api2: DELETE /orgs/{orgId}/members/{accountId}/temporary-access-pass when the member has none
  'org.tap_not_found': 404,
  'notice.invalid': 400,
  'notice.not_found': 404,
  'unsubscribe.invalid': 400,
  // Applications (src/apps/registry): registering clients, webhook endpoints and signal receivers.
  'apps.not_found': 404,
  'apps.name_invalid': 400,
  'apps.description_invalid': 400,
  'apps.client_type_invalid': 400,
  'apps.redirect_uri_invalid': 400,
  'apps.redirect_uris_count': 400,
  'apps.url_invalid': 400,
  'apps.url_not_allowed': 400,
  'apps.events_invalid': 400,
  'apps.auth_token_invalid': 400,
  'apps.limit_reached': 409,
  'apps.disabled': 409,
  internal: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export function fail(code: ErrorCode, params: Record<string, string | number> = {}): never {
  throw new AppError(code, params);
}
