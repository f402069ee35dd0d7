import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeEvents, renderEventsDoc } from '../../scripts/events-doc.ts';
import type { Deps } from '../../src/deps.ts';
import type { MamoriEvent } from '../../src/events/catalog.ts';
import { EventBus } from '../../src/kernel/events.ts';
import { subscribe } from '../../src/subscriptions.ts';

describe('domain events', () => {
  const bus = new EventBus<MamoriEvent>();
  subscribe(bus, {} as Deps);
  const events = describeEvents(bus.subscriptions());

  it('docs/events.md is what the catalogue and the subscriptions say (run npm run docs:events)', () => {
    const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderEventsDoc(events));
  });

  it('every event is raised somewhere and reacted to by someone', () => {
    for (const e of events) {
      expect(e.raisedIn, `${e.type} is never raised`).not.toEqual([]);
      expect(e.subscribers, `${e.type} has no subscriber`).not.toEqual([]);
    }
  });

  it('every announced change writes its activity entry before its emails, in one transaction', () => {
    const order = Object.fromEntries(events.map((e) => [e.type, e.subscribers]));
    for (const type of ['method.verified', 'password.reset', 'signin.unusual'])
      expect(order[type]?.indexOf('activity.record')).toBeLessThan(
        order[type]?.indexOf('notifications.announce') ?? -1,
      );
  });
});
