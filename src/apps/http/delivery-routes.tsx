import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** The delivery log of webhooks and signals, with "send again" (operator and organisation consoles). */
export function deliveryRoutes(_web: FastifyInstance, _deps: Deps): void {}
