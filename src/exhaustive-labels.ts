/**
 * Compile-time proof that every enumerated kind Mamori shows to a person has a message in both languages.
 * `ja.ts` must have exactly the keys of `en.ts` (`Record<keyof typeof en, string>`), so a key listed here is
 * checked in both dictionaries. Adding a kind to one of the `as const` lists without its messages makes
 * `npm run typecheck` fail with the missing key's name.
 */
import type { ActivityKind } from './activity/activity.ts';
import type { ActivityFilter } from './activity/review.ts';
import type { CheckId } from './checkup/checkup.ts';
import type { MessageKey } from './i18n/index.ts';
import type { ErrorCode } from './kernel/errors.ts';
import type { NoticeCategory } from './notices/preferences.ts';
import type { MessageKind } from './notifications/message-kinds.ts';
import type { CodePurpose } from './notifications/templates.tsx';
import type { AuditAction } from './operator/audit-actions.ts';
import type { MethodKind } from './security-info/store.ts';

/** `never` when every key exists; otherwise the missing keys (and a type error where it is used). */
type Missing<K extends string> = Exclude<K, MessageKey>;
type AllPresent<T extends never> = T;

export type MessageKindsHaveLabels = AllPresent<Missing<`messages.kind.${MessageKind}`>>;
export type ActivityKindsHaveLabels = AllPresent<Missing<`activity.kind.${ActivityKind}`>>;
export type ActivityFiltersHaveLabels = AllPresent<Missing<`activity.filter.${ActivityFilter}`>>;
export type ErrorCodesHaveMessages = AllPresent<Missing<`error.${ErrorCode}`>>;
export type NoticeCategoriesHaveLabels = AllPresent<
  Missing<`notices.category.${NoticeCategory}` | `notices.category_hint.${NoticeCategory}`>
>;
export type AuditActionsHaveLabels = AllPresent<Missing<`operator.audit.action.${AuditAction}`>>;
export type CheckItemsHaveTexts = AllPresent<Missing<`checkup.item.${CheckId}.${'todo' | 'done' | 'why'}`>>;
export type MethodKindsHaveNames = AllPresent<Missing<`method.kind.${MethodKind}`>>;
export type CodePurposesHaveEmails = AllPresent<
  Missing<`mail.code.${CodePurpose}.${'subject' | 'intro'}` | `sms.code.${CodePurpose}`>
>;
