// The router that remembers its matches (src/http/match-cache.ts): the same answers as Hono's own
// router, for static paths beside parameters, repeated, past its bound, and after a route is added.
import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { describe, expect, it } from 'vitest';
import { MatchCache } from '../../src/http/match-cache.js';

function appWith(router: MatchCache<never>) {
  const app = new Hono({ router: router as never });
  const seen: string[] = [];
  app.use('*', async (c, next) => {
    seen.push(`${c.req.method} ${c.req.path}`);
    await next();
  });
  app.get('/people/new', (c) => c.text('new'));
  app.get('/people/:id', (c) => c.text(`person ${c.req.param('id')}`));
  app.get('/people/:id/history', (c) => c.text(`history ${c.req.param('id')}`));
  app.post('/people/:id', (c) => c.text(`saved ${c.req.param('id')}`));
  return { app, seen };
}

describe('MatchCache', () => {
  it('answers as the router it wraps, again and again, with each path’s own parameters', async () => {
    const router = new MatchCache<never>(new TrieRouter());
    const { app, seen } = appWith(router);
    for (let round = 0; round < 3; round++) {
      expect(await (await app.request('/people/new')).text()).toBe('new');
      expect(await (await app.request('/people/7')).text()).toBe('person 7');
      expect(await (await app.request('/people/8')).text()).toBe('person 8');
      expect(await (await app.request('/people/8/history')).text()).toBe('history 8');
      expect(await (await app.request('/people/9', { method: 'POST' })).text()).toBe('saved 9');
      expect((await app.request('/nowhere')).status).toBe(404);
    }
    // The middleware ran for every request, from the cache as well.
    expect(seen).toHaveLength(18);
    expect(router.kept).toBe(6);
  });

  it('keeps at most its bound, and stays right past it', async () => {
    const router = new MatchCache<never>(new TrieRouter(), 3);
    const { app } = appWith(router);
    for (let id = 1; id <= 10; id++) {
      expect(await (await app.request(`/people/${id}`)).text()).toBe(`person ${id}`);
      expect(router.kept).toBeLessThanOrEqual(3);
    }
    expect(await (await app.request('/people/2')).text()).toBe('person 2');
  });

  it('sees a route added after a path was matched', async () => {
    const router = new MatchCache<never>(new TrieRouter());
    const { app } = appWith(router);
    expect((await app.request('/units/3')).status).toBe(404);
    app.get('/units/:id', (c) => c.text(`unit ${c.req.param('id')}`));
    expect(await (await app.request('/units/3')).text()).toBe('unit 3');
  });
});
