import type { Limiter } from './abuse/limiter.ts';
import type { GeoLookup } from './activity/geo.ts';
import type { Config } from './config/config.ts';
import type { EmitEvent } from './events/catalog.ts';
import type { Cipher } from './kernel/cipher.ts';
import type { Clock } from './kernel/clock.ts';
import type { Logger } from './kernel/logger.ts';
import type { Random } from './kernel/random.ts';
import type { Db } from './kernel/sql.ts';
import type { Dispatcher } from './notifications/dispatcher.ts';
import type { SessionCache } from './sessions/session-cache.ts';

/** What every capability service receives from the composition root (app.ts). */
export interface Deps {
  config: Config;
  db: Db;
  clock: Clock;
  random: Random;
  log: Logger;
  limiter: Limiter;
  cipher: Cipher;
  dispatcher: Dispatcher;
  sessionCache: SessionCache;
  geo: GeoLookup;
  /** Raises a domain event inside a transaction (src/events/catalog.ts; subscribers: src/subscriptions.ts). */
  emit: EmitEvent;
}
