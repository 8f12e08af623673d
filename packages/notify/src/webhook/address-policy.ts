// Which resolved addresses a user-supplied webhook URL may reach. An allow-list, not a block-list: only what
// ipaddr.js classifies as ordinary global unicast passes, so loopback, RFC 1918, CGNAT (100.64/10), link-local
// (169.254/16 with the cloud metadata address, fe80::/10), ULA (fc00::/7, with AWS's fd00:ec2::254), unspecified,
// multicast, broadcast, documentation/benchmark ranges and translation prefixes (NAT64, 6to4, Teredo: they can embed
// a private IPv4) are all refused, including any future range the library learns. IPv4-mapped IPv6 (::ffff:a.b.c.d)
// is judged as the IPv4 address it carries.
import ipaddr from 'ipaddr.js';

export type AddressVerdict = { allowed: true } | { allowed: false; range: string };

export function judgeAddress(address: string, exemptRanges: readonly string[] = []): AddressVerdict {
  if (!ipaddr.isValid(address)) return { allowed: false, range: 'invalid' };
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) {
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  }
  for (const cidr of exemptRanges) {
    const [net, bits] = ipaddr.parseCIDR(cidr);
    if (net.kind() === parsed.kind() && parsed.match([net, bits])) return { allowed: true };
  }
  const range = parsed.range();
  return range === 'unicast' ? { allowed: true } : { allowed: false, range };
}
