// Connections opened at once are let in before the event loop blocks again (issue 18 §4): libuv
// accepts one connection per turn, so without this each waiting connection cost a whole blocking
// step (a PGlite statement group) before its first request was even read.
import { createServer, type Server } from 'node:http';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { acceptsSettled, noteAccepted } from '../../src/lib/loop-fairness.js';

/** Blocks the thread, as a PGlite statement does. */
const block = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

let server: Server | null = null;
afterEach(async () => {
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  server = null;
});

/**
 * A server that answers its requests in groups, each group one blocking step (like the application
 * batcher on PGlite); with `fair`, a group first waits for `acceptsSettled()` as the PGlite dialect does.
 * Returns how many groups it took to answer one request on each of `connections` connections opened at once.
 */
async function groupsToServe(connections: number, fair: boolean): Promise<number> {
  let groups = 0;
  let queue: (() => void)[] = [];
  server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      queue.push(() => res.end('ok'));
      if (queue.length > 1) return;
      setImmediate(async () => {
        if (fair) await acceptsSettled();
        const group = queue;
        queue = [];
        groups++;
        block(20);
        for (const answer of group) answer();
      });
    });
  });
  if (fair) server.on('connection', noteAccepted);
  const s = server;
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await Promise.all(
    Array.from(
      { length: connections },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: '127.0.0.1', port });
          socket.on('error', reject);
          socket.once('data', () => {
            socket.destroy();
            resolve();
          });
          socket.write('GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
        }),
    ),
  );
  return groups;
}

describe('letting waiting connections in before blocking', () => {
  it('is free when no connection was accepted', () => {
    expect(acceptsSettled()).toBeNull();
  });

  it('waits while connections keep being accepted, then lets the work run', async () => {
    noteAccepted();
    let turns = 0;
    const tick = setInterval(() => {}, 1);
    const accepting = async () => {
      // Three more turns with a new connection each, as libuv does when several wait.
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((r) => setImmediate(r));
        turns++;
        noteAccepted();
      }
    };
    const [, settledAfter] = await Promise.all([accepting(), acceptsSettled()!.then(() => turns)]);
    clearInterval(tick);
    expect(settledAfter).toBe(3);
    expect(acceptsSettled()).toBeNull();
  });

  it('serves the first request of 40 connections opened at once in a few groups, not one group each', async () => {
    const fair = await groupsToServe(40, true);
    expect(fair).toBeLessThanOrEqual(3);
  });

  it('(without it, the server needs about one blocking group per waiting connection)', async () => {
    const unfair = await groupsToServe(40, false);
    expect(unfair).toBeGreaterThan(10);
  });
});
