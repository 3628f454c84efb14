import { BlockList, isIP } from 'node:net';

/**
 * The client's address behind reverse proxies (decision 0017). `X-Forwarded-For` is believed only
 * when the connection comes from a trusted proxy; then the client is the right-most hop that is not
 * itself a trusted proxy (each proxy appends the address it saw, so everything to the left of an
 * untrusted hop may be forged by the client). With no trusted proxies, the socket's address is used.
 */

/** Parses `KYODO_TRUSTED_PROXIES` entries (addresses or CIDRs); returns the problems, one per bad entry. */
export function parseTrustedProxies(value: string): { entries: string[]; problems: string[] } {
  const entries: string[] = [];
  const problems: string[] = [];
  for (const raw of value.split(/[\s,]+/).filter(Boolean)) {
    const [addr, prefix, extra] = raw.split('/');
    const family = isIP(addr ?? '');
    const bits = family === 4 ? 32 : 128;
    if (!family || extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
      problems.push(`"${raw}" is not an IP address or CIDR (e.g. 10.0.0.0/8, 192.168.1.10, fd00::/8)`);
      continue;
    }
    entries.push(raw);
  }
  return { entries, problems };
}

/** An IPv4 address written as IPv6 (`::ffff:10.0.0.1`, as dual-stack sockets report it) as plain IPv4. */
function plain(address: string): string {
  const a = address.trim().replace(/^\[|\]$/g, '');
  const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return m ? m[1]! : a;
}

export type ClientAddressOf = (peer: string | undefined, forwardedFor: string | undefined) => string;

/** A resolver for one list of trusted proxies. */
export function clientAddressResolver(trusted: readonly string[]): ClientAddressOf {
  const list = new BlockList();
  for (const entry of trusted) {
    const [addr, prefix] = entry.split('/');
    const family = isIP(addr!) === 6 ? 'ipv6' : 'ipv4';
    if (prefix === undefined) list.addAddress(addr!, family);
    else list.addSubnet(addr!, Number(prefix), family);
  }
  const isTrusted = (address: string) => {
    const family = isIP(address);
    return family !== 0 && list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  };
  return (peer, forwardedFor) => {
    const socket = peer ? plain(peer) : 'local';
    if (!trusted.length || !forwardedFor || !isTrusted(socket)) return socket;
    const hops = forwardedFor.split(',').map(plain).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) {
      const hop = hops[i]!;
      if (!isIP(hop)) return socket; // a malformed hop: believe nothing further left, nor this
      if (!isTrusted(hop)) return hop;
    }
    // Every hop is a trusted proxy: the left-most is the closest thing to a client.
    return hops[0] ?? socket;
  };
}
