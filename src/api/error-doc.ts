import { ERROR_STATUS } from '../kernel/errors.ts';

/** The list of stable error codes, for the OpenAPI description. */
export const ERROR_CODES_DOC = `Stable error codes: ${Object.entries(ERROR_STATUS)
  .map(([code, status]) => `${code} (${status})`)
  .join(', ')}`;
