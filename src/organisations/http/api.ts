import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../deps.ts';

/** The JSON API of organisations under /api/v1/orgs/{orgId}, authenticated by organisation admin tokens. */
export function organisationApiRoutes(
  _v1: FastifyInstance,
  _deps: Pick<Deps, 'config' | 'db' | 'clock' | 'random' | 'log' | 'limiter' | 'cipher' | 'emit'>,
): void {}
