/** What a list of IPv4 CIDR blocks admits, counted as addresses. */

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
