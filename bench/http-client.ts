/**
 * A small HTTP/1.1 load generator over raw keep-alive sockets (node:net): closed loop, one request in
 * flight per connection, responses parsed just enough to find their end and status. Requests are prebuilt
 * Buffers, so the client costs a few microseconds per request and both sides of every ratio are measured
 * by the same code.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { BENCH_USER_AGENT } from './protocol.ts';

const CRLFCRLF = Buffer.from('\r\n\r\n');
const CHUNKED_END = Buffer.from('0\r\n\r\n');

/** Builds one raw request. `body` is JSON-encoded when it is not a string. */
export function buildRequest(
  method: string,
  path: string,
  o: { body?: unknown; headers?: Record<string, string> } = {},
): Buffer {
  const body =
    o.body === undefined ? '' : typeof o.body === 'string' ? o.body : JSON.stringify(o.body as object);
  const headers: Record<string, string> = {
    host: '127.0.0.1',
    connection: 'keep-alive',
    'user-agent': BENCH_USER_AGENT,
    ...(body
      ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) }
      : {}),
    ...o.headers,
  };
  let head = `${method} ${path} HTTP/1.1\r\n`;
  for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
  return Buffer.from(`${head}\r\n${body}`);
}

export interface Response {
  status: number;
  body: string;
}

interface Pending {
  resolve(r: Response): void;
  reject(e: Error): void;
}

/** One keep-alive connection; `send` resolves with the next full response. */
export class Connection {
  private buf: Buffer = Buffer.alloc(0);
  private pending: Pending | null = null;
  private closed: Error | null = null;

  private constructor(private readonly socket: Socket) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    const fail = (e: Error) => {
      this.closed = e;
      const p = this.pending;
      this.pending = null;
      p?.reject(e);
    };
    socket.on('error', fail);
    socket.on('close', () => fail(new Error('connection closed')));
  }

  static open(port: number, host = '127.0.0.1'): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const s = connect({ port, host }, () => {
        s.off('error', reject);
        resolve(new Connection(s));
      });
      s.once('error', reject);
    });
  }

  send(req: Buffer): Promise<Response> {
    if (this.closed) return Promise.reject(this.closed);
    if (this.pending) return Promise.reject(new Error('one request at a time'));
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.socket.write(req);
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const headEnd = this.buf.indexOf(CRLFCRLF);
    if (headEnd < 0) return;
    const head = this.buf.toString('latin1', 0, headEnd);
    const status = Number(head.slice(9, 12));
    const bodyStart = headEnd + 4;
    const lower = head.toLowerCase();
    const cl = lower.indexOf('\r\ncontent-length:');
    let end: number;
    let body: string;
    if (cl >= 0) {
      const lineEnd = lower.indexOf('\r\n', cl + 2);
      const len = Number(lower.slice(cl + 17, lineEnd < 0 ? undefined : lineEnd).trim());
      end = bodyStart + len;
      if (this.buf.length < end) return;
      body = this.buf.toString('utf8', bodyStart, end);
    } else if (lower.includes('\r\ntransfer-encoding: chunked')) {
      const last = this.buf.indexOf(CHUNKED_END, bodyStart);
      if (last < 0) return;
      end = last + CHUNKED_END.length;
      body = dechunk(this.buf.subarray(bodyStart, end));
    } else {
      end = bodyStart;
      body = '';
    }
    this.buf = end === this.buf.length ? Buffer.alloc(0) : this.buf.subarray(end);
    const p = this.pending;
    this.pending = null;
    p?.resolve({ status, body });
  }
}

function dechunk(b: Buffer): string {
  const parts: Buffer[] = [];
  let i = 0;
  while (i < b.length) {
    const lineEnd = b.indexOf('\r\n', i);
    const size = Number.parseInt(b.toString('latin1', i, lineEnd), 16);
    if (!size) break;
    parts.push(b.subarray(lineEnd + 2, lineEnd + 2 + size));
    i = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts).toString('utf8');
}

export interface LoadResult {
  requests: number;
  /** Responses whose status was not the expected one (transport errors included). */
  errors: number;
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  latencyMs: { p50: number; p90: number; p99: number; mean: number };
  /** CPU seconds this (client) process used during the measured window. */
  clientCpuSeconds: number;
}

export interface LoadOptions {
  port: number;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  /** The request to send next; `i` counts every request of the run, warm-up included. */
  next(i: number): Buffer;
  expectStatus: number;
  /**
   * Called when the measured window opens (after warm-up) and when it is about to close, e.g. to read the
   * server's CPU time; the window includes the time 'end' takes.
   */
  onWindow?(phase: 'start' | 'end'): void | Promise<void>;
  /** Checks a response body; a false answer counts as an error. */
  check?(status: number, body: string): boolean;
}

/** Closed-loop load: `connections` keep-alive sockets, each sending its next request when the last answers. */
export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const conns = await Promise.all(Array.from({ length: o.connections }, () => Connection.open(o.port)));
  let i = 0;
  let measuring = false;
  let stop = false;
  let requests = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const lat: number[] = [];

  const loop = async (c: Connection) => {
    while (!stop) {
      const req = o.next(i++);
      const t0 = performance.now();
      let status = 0;
      let ok = false;
      try {
        const r = await c.send(req);
        status = r.status;
        ok = status === o.expectStatus && (!o.check || o.check(r.status, r.body));
      } catch {
        ok = false;
      }
      if (measuring && !stop) {
        const ms = performance.now() - t0;
        requests++;
        if (!ok) errors++;
        statuses[status] = (statuses[status] ?? 0) + 1;
        lat.push(ms);
      }
      if (status === 0) return; // connection broken
    }
  };
  const loops = conns.map(loop);
  if (o.warmupMs) await sleep(o.warmupMs);
  await o.onWindow?.('start');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  measuring = true;
  await sleep(o.durationMs);
  // The window closes once onWindow('end') has read the server's counters (an IPC round trip that can take
  // 100+ ms when the server is saturated): responses keep counting until then, so requests, server CPU and
  // SQL statements all cover the same span.
  await o.onWindow?.('end');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  measuring = false;
  stop = true;
  await Promise.all(loops);
  for (const c of conns) c.close();
  return {
    requests,
    errors,
    statuses,
    seconds,
    rps: requests / seconds,
    latencyMs: summarize(lat),
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

export interface UnitLoadOptions {
  port: number;
  connections: number;
  durationMs: number;
  warmupMs?: number;
  /**
   * One unit of work on `c`, e.g. a two-request flow; `i` counts every unit of the run, warm-up included.
   * `status` is what the statuses tally counts (e.g. "204" or "202+200"); a unit that is not `ok` is an error.
   */
  unit(c: Connection, i: number): Promise<{ ok: boolean; status: string }>;
  onWindow?(phase: 'start' | 'end'): void | Promise<void>;
}

/**
 * Closed-loop load like runLoad, but each connection runs whole units of work (one or more requests, built
 * when they are sent) one after another. Latency is per unit. Used where a request depends on data from an
 * earlier answer or on the time it is sent (TOTP codes).
 */
export async function runUnits(o: UnitLoadOptions): Promise<LoadResult> {
  const conns = await Promise.all(Array.from({ length: o.connections }, () => Connection.open(o.port)));
  let i = 0;
  let measuring = false;
  let stop = false;
  let requests = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const lat: number[] = [];

  const loop = async (c: Connection) => {
    while (!stop) {
      const t0 = performance.now();
      let r: { ok: boolean; status: string };
      try {
        r = await o.unit(c, i++);
      } catch {
        r = { ok: false, status: '0' };
      }
      if (measuring && !stop) {
        requests++;
        if (!r.ok) errors++;
        statuses[r.status] = (statuses[r.status] ?? 0) + 1;
        lat.push(performance.now() - t0);
      }
      if (r.status === '0') return; // connection broken
    }
  };
  const loops = conns.map(loop);
  if (o.warmupMs) await sleep(o.warmupMs);
  await o.onWindow?.('start');
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  measuring = true;
  await sleep(o.durationMs);
  // The window closes once onWindow('end') has read the server's counters (an IPC round trip that can take
  // 100+ ms when the server is saturated): responses keep counting until then, so requests, server CPU and
  // SQL statements all cover the same span.
  await o.onWindow?.('end');
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  measuring = false;
  stop = true;
  await Promise.all(loops);
  for (const c of conns) c.close();
  return {
    requests,
    errors,
    statuses,
    seconds,
    rps: requests / seconds,
    latencyMs: summarize(lat),
    clientCpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
}

/** Sends every request once, `connections` at a time (e.g. to fill a cache before a measurement). */
export async function sendAll(port: number, connections: number, reqs: Buffer[]): Promise<number> {
  const conns = await Promise.all(Array.from({ length: connections }, () => Connection.open(port)));
  let next = 0;
  let failed = 0;
  await Promise.all(
    conns.map(async (c) => {
      while (next < reqs.length) {
        const r = await c.send(reqs[next++]!);
        if (r.status >= 400) failed++;
      }
    }),
  );
  for (const c of conns) c.close();
  return failed;
}

export function summarize(values: number[]): { p50: number; p90: number; p99: number; mean: number } {
  if (values.length === 0) return { p50: Number.NaN, p90: Number.NaN, p99: Number.NaN, mean: Number.NaN };
  const s = Float64Array.from(values).sort();
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(p * s.length) - 1))]!;
  return { p50: q(0.5), p90: q(0.9), p99: q(0.99), mean: values.reduce((a, b) => a + b, 0) / values.length };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
