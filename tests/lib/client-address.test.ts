import { describe, expect, it } from 'vitest';
import { clientAddressResolver, parseTrustedProxies } from '../../src/lib/client-address.js';

describe('the client address behind proxies', () => {
  const behind = clientAddressResolver(['10.0.0.0/8', '192.168.1.10', 'fd00::/8']);
  const none = clientAddressResolver([]);
  it.each([
    ['no trusted proxies: the socket, whatever the header says', none, '10.0.0.5', '1.2.3.4', '10.0.0.5'],
    ['untrusted peer: its header is ignored', behind, '203.0.113.7', '1.2.3.4', '203.0.113.7'],
    ['trusted peer, one hop', behind, '10.0.0.5', '198.51.100.20', '198.51.100.20'],
    ['trusted peer, forged left part: the right-most untrusted hop', behind, '10.0.0.5', '6.6.6.6, 198.51.100.20', '198.51.100.20'],
    ['two trusted proxies in the chain', behind, '10.0.0.5', '198.51.100.20, 192.168.1.10', '198.51.100.20'],
    ['every hop trusted: the left-most', behind, '10.0.0.5', '10.9.9.9, 10.1.1.1', '10.9.9.9'],
    ['dual-stack socket address', behind, '::ffff:10.0.0.5', '198.51.100.20', '198.51.100.20'],
    ['IPv6 proxy and client', behind, 'fd00::1', '2001:db8::42', '2001:db8::42'],
    ['garbage in the header: the socket', behind, '10.0.0.5', 'not-an-address', '10.0.0.5'],
    ['trusted peer, no header: the socket', behind, '10.0.0.5', undefined, '10.0.0.5'],
    ['no socket at all', none, undefined, undefined, 'local'],
  ])('%s', (_what, resolve, peer, header, want) => {
    expect(resolve(peer, header)).toBe(want);
  });

  it('reads KYODO_TRUSTED_PROXIES and names each bad entry', () => {
    expect(parseTrustedProxies('10.0.0.0/8, 192.168.1.10 fd00::/8')).toEqual({ entries: ['10.0.0.0/8', '192.168.1.10', 'fd00::/8'], problems: [] });
    const bad = parseTrustedProxies('10.0.0.0/33,proxy.local,1.2.3.4/8/1');
    expect(bad.entries).toEqual([]);
    expect(bad.problems).toHaveLength(3);
    expect(bad.problems[1]).toContain('proxy.local');
  });
});
