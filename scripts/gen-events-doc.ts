import { writeFileSync } from 'node:fs';
import type { Deps } from '../src/deps.ts';
import type { MamoriEvent } from '../src/events/catalog.ts';
import { describeEvents, renderEventsDoc } from './events-doc.ts';
import { EventBus } from '../src/kernel/events.ts';
import { subscribe } from '../src/subscriptions.ts';

/** Writes docs/events.md from the event catalogue and the subscriptions (npm run docs:events). */
const bus = new EventBus<MamoriEvent>();
subscribe(bus, {} as Deps);
writeFileSync(new URL('../docs/events.md', import.meta.url), renderEventsDoc(describeEvents(bus.subscriptions())));
