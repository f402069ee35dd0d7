import { Writable } from 'node:stream';
import pino from 'pino';

export type Logger = pino.Logger;
/** `json` (the default: one JSON object a line, for log collectors) or `pretty` (LOG_FORMAT=pretty, local). */
export type LogFormat = 'json' | 'pretty';

const LEVELS: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};
const OMIT = new Set(['level', 'time', 'msg', 'pid', 'hostname']);

function show(v: unknown): string {
  if (typeof v === 'string') return /[\s="]/.test(v) ? JSON.stringify(v) : v;
  return JSON.stringify(v) ?? String(v);
}

/** One JSON log line as `10:05:03 INFO  message key=value …` (local time). */
export function prettyLine(line: string): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now());
  const hms = [time.getHours(), time.getMinutes(), time.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
  const level = (LEVELS[entry.level as number] ?? String(entry.level)).padEnd(5);
  const rest = Object.entries(entry)
    .filter(([k]) => !OMIT.has(k))
    .map(([k, v]) => ` ${k}=${show(v)}`)
    .join('');
  return `${hms} ${level} ${typeof entry.msg === 'string' ? entry.msg : ''}${rest}\n`;
}

/** A stream that turns pino's JSON lines into `prettyLine`s on `out`. */
function prettyStream(out: pino.DestinationStream | NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk, _enc, cb) {
      pending += String(chunk);
      let nl = pending.indexOf('\n');
      while (nl >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        if (line) out.write(prettyLine(line));
        nl = pending.indexOf('\n');
      }
      cb();
    },
  });
}

/**
 * Structured JSON logs (or, with LOG_FORMAT=pretty, one readable line per entry for local use). Anything that could carry a secret is redacted by path, and our own code never
 * passes codes, passwords or tokens to the logger in the first place.
 */
export function createLogger(
  level: string,
  destination?: pino.DestinationStream,
  format: LogFormat = 'json',
): Logger {
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
  if (format === 'pretty') return pino(options, prettyStream(destination ?? process.stdout));
  return destination ? pino(options, destination) : pino(options);
}
