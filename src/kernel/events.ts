import type { Sql } from './sql.ts';

/** A fact about a change, raised inside the transaction that made it. `type` is `<noun>.<past verb>`. */
export interface DomainEvent {
  readonly type: string;
}

/** Runs inside the emitting transaction: whatever it writes commits or rolls back with the change. */
export type Subscriber<E extends DomainEvent> = (tx: Sql, event: E) => Promise<void>;

/** What a capability receives to announce its changes: only the events it raises. */
export type Emit<E extends DomainEvent> = (tx: Sql, event: E) => Promise<void>;

/** One subscription, for docs/events.md. */
export interface Subscription {
  type: string;
  /** `<capability>.<what it does>`, e.g. `activity.record`. */
  name: string;
}

/**
 * In-process domain events (the unit of work's second half). A capability raises an event with `emit(tx,
 * event)` inside its transaction; every subscriber of that type runs at once, in registration order, in the
 * same transaction, so the activity entry, the security emails, the past contacts, … are written with the
 * change or not at all. A subscriber that throws rolls the whole change back (that is how a guard vetoes a
 * change). Subscribers are registered by the composition root (app.ts); lower capabilities never import the
 * ones that react to them. After Ory Kratos' self-service hooks and node-oidc-provider's event emitter.
 */
export class EventBus<E extends DomainEvent> {
  private readonly handlers = new Map<string, { name: string; fn: Subscriber<E> }[]>();

  /** Subscribes `fn` to events of `type`; `name` says who reacts and how (docs/events.md). */
  on<K extends E['type']>(type: K, name: string, fn: Subscriber<Extract<E, { type: K }>>): this {
    const list = this.handlers.get(type) ?? [];
    list.push({ name, fn: fn as Subscriber<E> });
    this.handlers.set(type, list);
    return this;
  }

  /** Runs every subscriber of `event.type` in `tx`, one after the other. */
  readonly emit = async (tx: Sql, event: E): Promise<void> => {
    for (const h of this.handlers.get(event.type) ?? []) await h.fn(tx, event);
  };

  /** Every subscription, in registration order. */
  subscriptions(): Subscription[] {
    return [...this.handlers].flatMap(([type, list]) => list.map((h) => ({ type, name: h.name })));
  }
}
