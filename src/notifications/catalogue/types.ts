import type { MessageKey, Params } from '../../i18n/index.ts';
import type { Purpose } from '../../verification/store.ts';
import type { MessageKind } from '../message-kinds.ts';

/**
 * Why a code is sent: a challenge's purpose (verification/store.ts); each purpose has its own words
 * (`catalogue/code.ts`), so a new purpose does not compile until it has them.
 */
export type CodePurpose = Purpose;

/** Every email Mamori sends, with the variables it needs. */
export type EmailKind =
  | { kind: 'code'; purpose: CodePurpose; code: string; minutes: number; account: string }
  | { kind: 'signup_exists' }
  | { kind: 'method_added'; method: string; time: string; ip: string }
  | { kind: 'method_removed'; method: string; time: string; ip: string }
  | { kind: 'password_changed'; time: string; ip: string }
  | { kind: 'password_reset'; time: string; ip: string }
  | { kind: 'two_step_on'; time: string; ip: string }
  | { kind: 'two_step_off'; time: string; ip: string }
  /** `first`: the account had no working recovery code before (nothing stops working). */
  | { kind: 'recovery_code_created'; time: string; ip: string; first: boolean }
  | { kind: 'recovery_code_used'; time: string; ip: string }
  | { kind: 'unusual_signin'; time: string; ip: string; country: string; device: string }
  | { kind: 'account_secured'; time: string; ip: string }
  /** Any other message made of dictionary keys, for capabilities that need their own emails. */
  | {
      kind: 'custom';
      /** The outbox kind recorded and listed in "messages we sent". */
      name: MessageKind;
      subject: MessageKey;
      lines: MessageKey[];
      params: Params;
      highlight?: string;
      action?: { label: MessageKey; path: string };
      warn?: MessageKey;
      anonymous?: boolean;
    };

/** What a message says, as dictionary keys: the layout (`layout.tsx`) puts them in place. */
export interface MessageParts {
  subject: MessageKey;
  lines: MessageKey[];
  /** Shown as a highlighted block (the code), followed by `after`. */
  highlight?: string;
  after?: MessageKey[];
  /** Code emails may reach someone other than the owner: no name in them. */
  anonymous?: boolean;
  action?: { label: MessageKey; path: string };
  warn?: MessageKey;
}

/**
 * What the catalogue knows of one message kind, for the templates directory (`overrides.ts`): the
 * `{{placeholders}}` its words may use besides those of every message (`reference`, `publicUrl`,
 * `forgotUrl`; `name` unless anonymous; `actionUrl` when it has a link), and those an override must keep.
 */
export interface TemplateEntry {
  /** The outbox kind it is recorded as. */
  kind: MessageKind;
  placeholders: readonly string[];
  /** Without these the message is useless or unsafe (the code, the one link that does the job). */
  required: readonly string[];
  /** May reach someone other than the owner: no `{{name}}`. */
  anonymous: boolean;
  /** Has a link (`{{actionUrl}}`). */
  action: boolean;
  /** For kinds a capability builds itself (`kind: 'custom'`): the file that sends it and picks its words. */
  sentBy?: string;
}
