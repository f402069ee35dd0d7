import { createServer, type Server } from 'node:http';
import { SMTPServer } from 'smtp-server';

/** One message as the server stored it (after the final dot of DATA, before it answers). */
export interface Arrival {
  /** 0-based order in which the server stored the messages. */
  n: number;
  to: string;
  messageId: string;
  reference: string;
  subject: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A real SMTP server on a random local port that behaves like an MTA with a slow disk: it stores each
 * message as soon as the whole of it has arrived (`stored`), then answers `250` only when `holdReply`
 * says so (a delay in ms, or a promise). A client that goes away before the final dot stores nothing
 * (counted in `cutShort`).
 * `events` lists `stored <to>` and `acked <to>` in the order they happened.
 */
export async function startRecordingSmtp(
  o: { holdReply?: (a: Arrival) => number | Promise<void>; onStored?: (a: Arrival) => void } = {},
) {
  const stored: Arrival[] = [];
  const events: string[] = [];
  let replying = 0;
  let cutShort = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      // The client went away before the final dot: nothing was received, nothing is stored.
      stream.on('error', () => {
        cutShort++;
      });
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const head = (raw.split(/\r?\n\r?\n/)[0] ?? '').replace(/\r?\n[ \t]+/g, ' ');
        const header = (name: string) =>
          (head.match(new RegExp(`^${name}:[ \\t]*(.*)$`, 'im'))?.[1] ?? '').trim();
        const a: Arrival = {
          n: stored.length,
          to: session.envelope.rcptTo[0]?.address ?? '',
          messageId: header('Message-ID'),
          reference: header('X-Mamori-Reference'),
          subject: header('Subject'),
        };
        stored.push(a);
        events.push(`stored ${a.to}`);
        o.onStored?.(a);
        const hold = o.holdReply?.(a) ?? 0;
        replying++;
        void (typeof hold === 'number' ? sleep(hold) : hold).then(() => {
          replying--;
          events.push(`acked ${a.to}`);
          callback();
        });
      });
    },
  });
  // A client killed mid-transaction resets its connection (ECONNRESET): for this server that is the
  // crash under test, counted in `cutShort`, not a failure of the test process.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stored,
    events,
    /** Messages whose DATA began (354 sent) but whose client went away before the final dot. */
    get cutShort() {
      return cutShort;
    },
    /** Messages stored whose answer has not been sent yet. */
    get replying() {
      return replying;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type RecordingSmtp = Awaited<ReturnType<typeof startRecordingSmtp>>;

/**
 * A Twilio-compatible Messages API on a random local port that accepts every SMS after `delayMs`
 * (it has taken the message as soon as the request arrived). `received` lists each accepted body.
 */
export async function startSlowSmsApi(delayMs: number) {
  const received: { to: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let data = '';
    req.on('data', (c) => {
      data += c;
    });
    req.on('end', () => {
      const form = new URLSearchParams(data);
      received.push({ to: form.get('To') ?? '', body: form.get('Body') ?? '' });
      setTimeout(() => {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ sid: `SM${received.length}` }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
