// The load generator, run as its own process (`runLoad` in support.ts starts it), so that the client's
// work does not share the server's event loop: on PGlite the database runs on that loop too, and an
// in-process client both slowed the server and starved some of its own requests for seconds.
// Reads one job as JSON on stdin, sends the requests over loopback HTTP (node:http, keep-alive, one
// socket per request in flight), and writes the result as JSON on stdout. Loopback only.
import http from 'node:http';
import type { LoadJob, LoadResult } from './support.js';

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

const job = JSON.parse(await readStdin()) as LoadJob;
const url = new URL(job.url);
if (url.hostname !== '127.0.0.1') throw new Error(`loopback only: ${job.url}`);
const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
const statuses: Record<string, number> = {};

function send(i: number): Promise<void> {
  const body = job.body ?? null;
  const headers: Record<string, string> = { ...(job.headers ?? {}) };
  if (job.tokens) headers.Authorization = `Bearer ${job.tokens[i % job.tokens.length]}`;
  if (body !== null) {
    headers['Content-Type'] = 'application/json';
    headers['Content-Length'] = String(Buffer.byteLength(body));
  }
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: job.method, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => {
        statuses[res.statusCode ?? 0] = (statuses[res.statusCode ?? 0] ?? 0) + 1;
        resolve();
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body ?? undefined);
  });
}

const latencies: number[] = [];
let next = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: job.concurrency }, async () => {
    for (let i = next++; i < job.count; i = next++) {
      const t0 = performance.now();
      await send(i);
      latencies.push(performance.now() - t0);
    }
  }),
);
const result: LoadResult = { latencies: latencies.sort((a, b) => a - b), seconds: (performance.now() - start) / 1000, statuses };
agent.destroy();
process.stdout.write(JSON.stringify(result));
