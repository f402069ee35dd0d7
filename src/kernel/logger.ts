import pino from 'pino';

export type Logger = pino.Logger;

/**
 * Structured JSON logs. Anything that could carry a secret is redacted by path, and our own code never
 * passes codes, passwords or tokens to the logger in the first place.
 */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    redact: {
      paths: [
        'req.headers.cookie',
        'req.headers.authorization',
        'res.headers["set-cookie"]',
        '*.password',
        '*.code',
        '*.token',
        '*.secret',
        'password',
        'code',
        'token',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
