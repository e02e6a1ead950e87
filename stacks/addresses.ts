/**
 * Addresses, as the guard and the policies judge them: what a list of IPv4 CIDR blocks admits,
 * and whether a target is one no one outside can reach.
 */
import { BlockList, isIP } from "node:net";

/** The most addresses an allow-list may admit: a /16, far more than any API's egress needs. */
export const MAX_ALLOWED_ADDRESSES = 65_536;

/** How many IPv4 addresses the blocks admit together, overlaps counted once; a block that is not IPv4 counts none. */
export function addressesCovered(cidrs: readonly string[]): number {
  const ranges = cidrs.flatMap((cidr) => {
    const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(cidr.trim());
    if (!match) return [];
    const start = match.slice(1, 5).reduce((n, octet) => n * 256 + Number(octet), 0);
    const size = 2 ** (32 - Number(match[5] ?? 32));
    const first = Math.floor(start / size) * size;
    return [[first, first + size] as const];
  }).sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -1;
  for (const [from, to] of ranges) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}

/** Networks no public record may point at: this network, private, shared (CGNAT), loopback, link-local, unique-local. */
const PRIVATE_NETWORKS = new BlockList();
for (const [network, prefix] of [["0.0.0.0", 8], ["10.0.0.0", 8], ["100.64.0.0", 10], ["127.0.0.0", 8], ["169.254.0.0", 16], ["172.16.0.0", 12], ["192.168.0.0", 16]] as const) {
  PRIVATE_NETWORKS.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [["::", 128], ["::1", 128], ["fc00::", 7], ["fe80::", 10], ["fec0::", 10]] as const) {
  PRIVATE_NETWORKS.addSubnet(network, prefix, "ipv6");
}

/** An IPv6 address's eight 16-bit groups; `address` is one `isIP` accepts, without a zone. */
function groupsOf(address: string): number[] {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const parse = (part: string | undefined) => (part ? part.split(":") : []).flatMap((group) => {
    if (!group.includes(".")) return [Number.parseInt(group, 16)];
    const [a, b, c, d] = group.split(".").map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
  const front = parse(head), back = parse(tail);
  return [...front, ...Array<number>(8 - front.length - back.length).fill(0), ...back];
}

/** The IPv4 address an IPv6 one carries in its last 32 bits: IPv4-mapped, IPv4-compatible or NAT64 (64:ff9b::/96). */
function embeddedIpv4(address: string): string | undefined {
  const g = groupsOf(address);
  const zeros = (n: number) => g.slice(0, n).every((x) => x === 0);
  const carries = (zeros(5) && (g[5] === 0xffff || g[5] === 0)) || (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0));
  return carries ? [g[6] >> 8, g[6] & 0xff, g[7] >> 8, g[7] & 0xff].join(".") : undefined;
}

/** Whether a record's target is a host no one else can reach: a private, loopback or link-local address, or localhost. */
export function isPrivateAddress(target: string): boolean {
  const host = target.trim().toLowerCase().replace(/^\[(.*)\]$/, "$1").replace(/\.$/, "").replace(/%.*$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  const version = isIP(host);
  if (version === 4) return PRIVATE_NETWORKS.check(host, "ipv4");
  if (version !== 6) return false;
  const ipv4 = embeddedIpv4(host);
  return ipv4 !== undefined ? PRIVATE_NETWORKS.check(ipv4, "ipv4") : PRIVATE_NETWORKS.check(host, "ipv6");
}
