// The load generator, run as its own process (`runLoad` in support.ts starts it), so that the client's
// work does not share the server's event loop: on PGlite the database runs on that loop too, and an
// in-process client both slowed the server and starved some of its own requests for seconds.
//
// It speaks HTTP/1.1 on raw keep-alive sockets (one per request in flight), as wrk does, rather than
// through node:http: on a 2-core machine node:http's client took about 0.7 of a core at 2,700
// requests/s, CPU the server and the database then lacked. It sends one request at a time per socket
// (no pipelining), reads the status line and headers, and the body by Content-Length or chunks.
//
// Reads one job as JSON on stdin, writes the result as JSON on stdout. Loopback only.
import { connect, type Socket } from 'node:net';
import type { LoadJob, LoadResult } from './support.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `timeline`: also report each request's send time, latency and connection (for tracing stalls). */
const job = JSON.parse(await readStdin()) as LoadJob & { timeline?: boolean };
const url = new URL(job.url);
if (url.hostname !== '127.0.0.1') throw new Error(`loopback only: ${job.url}`);
const port = Number(url.port);
const statuses: Record<string, number> = {};
const CRLF2 = Buffer.from('\r\n\r\n');
const LENGTH = Buffer.from('\r\ncontent-length:');

function requestBytes(i: number): Buffer {
  const lines = [`${job.method} ${url.pathname}${url.search} HTTP/1.1`, `Host: ${url.host}`, 'Connection: keep-alive'];
  for (const [k, v] of Object.entries(job.headers ?? {})) lines.push(`${k}: ${v}`);
  if (job.tokens) lines.push(`Authorization: Bearer ${job.tokens[i % job.tokens.length]}`);
  const body = job.body === undefined ? null : Buffer.from(job.body);
  if (body) lines.push('Content-Type: application/json', `Content-Length: ${body.length}`);
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1');
  return body ? Buffer.concat([head, body]) : head;
}

/** One keep-alive connection: sends a request, resolves with the status once the whole response is read. */
class Connection {
  #socket: Socket;
  #buf: Buffer = Buffer.alloc(0);
  #waiting: { resolve: (status: number) => void; reject: (e: Error) => void } | null = null;

  constructor() {
    this.#socket = connect({ host: '127.0.0.1', port, noDelay: true });
    this.#socket.on('data', (d: Buffer) => {
      this.#buf = this.#buf.length ? Buffer.concat([this.#buf, d]) : d;
      this.#parse();
    });
    this.#socket.on('error', (e) => this.#waiting?.reject(e));
    this.#socket.on('close', () => this.#waiting?.reject(new Error('connection closed')));
  }

  send(bytes: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
      this.#socket.write(bytes);
    });
  }

  #parse() {
    const buf = this.#buf;
    const end = buf.indexOf(CRLF2);
    if (end < 0) return;
    // The status from its three digits, the length from the header's bytes: no string of the whole head
    // (the server writes header names in lower case; any other case falls back to a regular expression).
    const status = (buf[9] - 48) * 100 + (buf[10] - 48) * 10 + (buf[11] - 48);
    let total: number;
    const at = buf.indexOf(LENGTH);
    if (at >= 0 && at < end) {
      let n = 0;
      let i = at + LENGTH.length;
      while (buf[i] === 32) i++;
      for (; buf[i] >= 48 && buf[i] <= 57; i++) n = n * 10 + (buf[i] - 48);
      total = end + 4 + n;
    } else {
      const head = buf.subarray(0, end).toString('latin1');
      const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
      if (length) total = end + 4 + Number(length[1]);
      else if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
        const last = buf.indexOf('\r\n0\r\n\r\n', end);
        if (last < 0) return;
        total = last + 7;
      } else throw new Error(`response without a length:\n${head}`);
    }
    if (buf.length < total) return;
    this.#buf = buf.subarray(total);
    const w = this.#waiting;
    this.#waiting = null;
    w?.resolve(status);
  }

  close() {
    this.#socket.destroy();
  }
}

const connections = Array.from({ length: job.concurrency }, () => new Connection());
const latencies: number[] = [];
/** With job.timeline: per request, when it was sent (ms since the start), its latency, its connection and whether it was that connection's first. */
const timeline: [number, number, number, number][] = [];
// Every request's bytes are made before the clock starts: the client's own work during the run is only
// sending and reading, as in wrk.
const requests = Array.from({ length: job.count }, (_, i) => requestBytes(i));
let next = 0;
const cpu0 = process.cpuUsage();
const start = performance.now();
await Promise.all(
  connections.map(async (c, n) => {
    let first = 1;
    for (let i = next++; i < job.count; i = next++) {
      const bytes = requests[i];
      const t0 = performance.now();
      const status = await c.send(bytes);
      latencies.push(performance.now() - t0);
      if (job.timeline) timeline.push([t0 - start, performance.now() - t0, n, first]);
      first = 0;
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }),
);
const seconds = (performance.now() - start) / 1000;
for (const c of connections) c.close();
const cpu = process.cpuUsage(cpu0);
const result: LoadResult & { timeline?: typeof timeline } = { latencies: latencies.sort((a, b) => a - b), seconds, statuses, cpuSeconds: (cpu.user + cpu.system) / 1e6, userSeconds: cpu.user / 1e6, ...(job.timeline ? { timeline } : {}) };
process.stdout.write(JSON.stringify(result));
