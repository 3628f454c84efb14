/**
 * Lets connections waiting to be accepted in before the event loop is blocked again (issue 18 §4).
 *
 * libuv accepts one connection per turn of the event loop (libuv PR #3696, in every Node.js since 20):
 * a connection that arrives while the loop is busy waits in the kernel's queue, and each turn takes one
 * more out. On PGlite the database runs inside the event loop, so a turn can hold a whole group of
 * statements (tens to hundreds of milliseconds under load); with a hundred connections opened at once,
 * the last ones were taken one per turn and their first request waited for seconds (the registration
 * benchmark's p99 of 1–1.4 s: every slow request was the first on its connection).
 *
 * The HTTP server calls `noteAccepted()` for each connection it accepts; the PGlite dialect awaits
 * `acceptsSettled()` before each statement. While the last turn accepted a connection, it yields one
 * more turn (a cheap one: nothing blocks), so the queue drains at the speed of an idle loop and the new
 * connections' requests are read and join the next group. Without new connections it costs nothing.
 */
let acceptedSinceCheck = false;
let settling: Promise<void> | null = null;

/** At most this many turns in a row are yielded, so a flood of connections cannot stall the database. */
const MAX_TURNS = 256;

/** Called by the HTTP server for every connection it accepts. */
export function noteAccepted(): void {
  acceptedSinceCheck = true;
}

/** Resolves at once when no connection was accepted since the last check; else after the turns that let the queue drain. */
export function acceptsSettled(): Promise<void> | null {
  if (!acceptedSinceCheck) return settling;
  settling ??= (async () => {
    for (let turns = 0; acceptedSinceCheck && turns < MAX_TURNS; turns++) {
      acceptedSinceCheck = false;
      // One turn of the loop: its poll phase accepts the next waiting connection (calling noteAccepted)
      // and reads requests from those accepted in the turn before.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    // One more turn after the last accept, so the last connection's request is read too.
    await new Promise<void>((resolve) => setImmediate(resolve));
    acceptedSinceCheck = false;
    settling = null;
  })();
  return settling;
}
