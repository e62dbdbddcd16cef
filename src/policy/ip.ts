/**
 * IP addresses and CIDR blocks for NetworkPolicy ipBlocks and model pods, pure. Arithmetic is
 * done on bigints so IPv4 and IPv6 share one piece of code (containment, subtraction of `except`
 * blocks, decomposition into prefixes for the enforcers); the values are stored as decimal
 * strings so models and policies stay plain JSON (they travel inside a TopologySpec). Parsing goes through
 * ipaddr.js; the syntax accepted is Go's `net.ParseCIDR` (what the API server uses) without the
 * forms it calls ambiguous: IPv4 octets with leading zeros and IPv6 zones are rejected.
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

export interface IpAddress {
  family: IpFamily;
  /** The address as an unsigned integer, in decimal. */
  value: string;
  /** Canonical text: dotted quad, or RFC 5952 for IPv6. */
  text: string;
}

export interface Cidr {
  family: IpFamily;
  /** The network address (host bits cleared), as an unsigned integer in decimal. */
  base: string;
  prefix: number;
  /** As written, e.g. `10.244.1.12/24` (host bits may be set, as Kubernetes allows). */
  text: string;
}

const ipv4Pattern = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function bitsOf(family: IpFamily): number {
  return family === 4 ? 32 : 128;
}

/** Why `text` is not an IP address, or undefined when it is one. */
function addressProblem(text: string): string | undefined {
  if (text.includes('%')) return 'IPv6 zones ("%eth0") are not allowed';
  if (text.includes(':')) return ipaddr.IPv6.isValid(text) ? undefined : 'not an IPv6 address';
  const m = ipv4Pattern.exec(text);
  if (m === null) return 'not an IPv4 address (expected four decimal numbers, e.g. 10.0.0.1)';
  for (const octet of m.slice(1)) {
    if (octet.length > 1 && octet.startsWith('0')) {
      return `octet "${octet}" has a leading zero, which is ambiguous (octal or decimal?)`;
    }
    if (Number(octet) > 255) return `octet ${octet} is above 255`;
  }
  return undefined;
}

function toBigint(bytes: number[]): bigint {
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  return v;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; message: string };

export function parseIp(text: string): Parsed<IpAddress> {
  const problem = addressProblem(text);
  if (problem !== undefined) return { ok: false, message: problem };
  const a = ipaddr.parse(text);
  if (a.kind() === 'ipv6' && (a as ipaddr.IPv6).isIPv4MappedAddress()) {
    return {
      ok: false,
      message: 'IPv4-mapped IPv6 addresses are ambiguous; write the IPv4 address',
    };
  }
  const family: IpFamily = a.kind() === 'ipv4' ? 4 : 6;
  return {
    ok: true,
    value: {
      family,
      value: toBigint(a.toByteArray()).toString(),
      text: a.kind() === 'ipv4' ? a.toString() : (a as ipaddr.IPv6).toRFC5952String(),
    },
  };
}

export function parseCidr(text: string): Parsed<Cidr> {
  const slash = text.indexOf('/');
  if (slash < 0) {
    return { ok: false, message: 'not a CIDR: the prefix length is missing (e.g. "/24")' };
  }
  const address = parseIp(text.slice(0, slash));
  if (!address.ok) return address;
  const prefixText = text.slice(slash + 1);
  const bits = bitsOf(address.value.family);
  if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
    return {
      ok: false,
      message: `prefix length "${prefixText}" is not a number from 0 to ${bits}`,
    };
  }
  const prefix = Number(prefixText);
  return {
    ok: true,
    value: {
      family: address.value.family,
      base: (BigInt(address.value.value) & maskOf(address.value.family, prefix)).toString(),
      prefix,
      text,
    },
  };
}

function maskOf(family: IpFamily, prefix: number): bigint {
  const bits = BigInt(bitsOf(family));
  const all = (1n << bits) - 1n;
  return all ^ ((1n << (bits - BigInt(prefix))) - 1n);
}

/** First and last address of the block. */
export function cidrRange(c: Cidr): [bigint, bigint] {
  const first = BigInt(c.base);
  return [first, first | ((1n << BigInt(bitsOf(c.family) - c.prefix)) - 1n)];
}

export function cidrContains(c: Cidr, ip: IpAddress): boolean {
  if (c.family !== ip.family) return false;
  const [first, last] = cidrRange(c);
  const v = BigInt(ip.value);
  return v >= first && v <= last;
}

/** True when every address of `inner` is in `outer`. */
export function cidrCovers(outer: Cidr, inner: Cidr): boolean {
  if (outer.family !== inner.family) return false;
  const [of, ol] = cidrRange(outer);
  const [inf, inl] = cidrRange(inner);
  return inf >= of && inl <= ol;
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  const [af, al] = cidrRange(a);
  const [bf, bl] = cidrRange(b);
  return af <= bl && bf <= al;
}

/** True when `inner` is a strict subset of `outer` (the API server's rule for `except`). */
export function isStrictSubset(outer: Cidr, inner: Cidr): boolean {
  return cidrCovers(outer, inner) && inner.prefix > outer.prefix;
}

export function formatAddress(family: IpFamily, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 255n)).join('.');
  }
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  return ipaddr.fromByteArray(parts.flatMap((p) => [p >> 8, p & 255])).toString();
}

/** `10.244.1.0/24` with host bits cleared, as enforcers want it. */
export function canonicalCidr(c: Cidr): string {
  return `${formatAddress(c.family, BigInt(c.base))}/${c.prefix}`;
}

function cidrFrom(family: IpFamily, base: bigint, prefix: number): Cidr {
  const c = { family, base: base.toString(), prefix, text: '' };
  c.text = canonicalCidr(c);
  return c;
}

/** The smallest list of prefixes covering exactly the addresses `first..last` (inclusive). */
function rangeToCidrs(family: IpFamily, first: bigint, last: bigint): Cidr[] {
  const bits = bitsOf(family);
  const out: Cidr[] = [];
  let start = first;
  while (start <= last) {
    let size = bits;
    // Grow the block while it stays aligned at `start` and inside the range.
    while (size > 0) {
      const hostBits = BigInt(bits - size + 1);
      const blockMask = (1n << hostBits) - 1n;
      if ((start & blockMask) !== 0n || start + blockMask > last) break;
      size -= 1;
    }
    out.push(cidrFrom(family, start, size));
    start += 1n << BigInt(bits - size);
  }
  return out;
}

/**
 * The addresses of `cidr` minus every block in `excepts`, as prefixes. This is how an ipBlock
 * with `except` becomes plain allow rules (or set elements) in an enforcer.
 */
export function subtractCidrs(cidr: Cidr, excepts: readonly Cidr[]): Cidr[] {
  const holes = excepts
    .filter((e) => cidrsOverlap(cidr, e))
    .map((e) => {
      const [first, last] = cidrRange(e);
      return { first, last };
    })
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Cidr[] = [];
  const [first, end] = cidrRange(cidr);
  let cursor = first;
  for (const h of holes) {
    if (h.first > cursor) out.push(...rangeToCidrs(cidr.family, cursor, h.first - 1n));
    if (h.last + 1n > cursor) cursor = h.last + 1n;
    if (cursor > end) return out;
  }
  if (cursor <= end) out.push(...rangeToCidrs(cidr.family, cursor, end));
  return out;
}
