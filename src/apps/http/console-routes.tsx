import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** Registering applications, webhook endpoints and signal receivers (operator and organisation consoles). */
export function appsConsoleRoutes(_web: FastifyInstance, _deps: Deps): void {}
