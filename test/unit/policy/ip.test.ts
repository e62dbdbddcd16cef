import { describe, expect, it } from 'vitest';
import {
  cidrContains,
  parseCidr,
  parseIp,
  subtractCidrs,
  type Cidr,
} from '../../../src/policy/ip.js';

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c.ok) throw new Error(c.message);
  return c.value;
}

describe('ip addresses and CIDR blocks', () => {
  it('accepts a CIDR with host bits set, as the API server does, and clears them', () => {
    const c = cidr('10.244.1.12/24');
    expect(c.text).toBe('10.244.1.12/24');
    expect(subtractCidrs(c, []).map((x) => x.text)).toEqual(['10.244.1.0/24']);
  });

  it('rejects what Go would misread or refuse: leading zeros, bad prefixes, zones, mapped addresses', () => {
    expect(parseCidr('10.0.0.0').ok).toBe(false);
    expect(parseCidr('10.0.0.0/33').ok).toBe(false);
    expect(parseCidr('10.0.0.256/8').ok).toBe(false);
    expect(parseIp('010.0.0.1').ok).toBe(false);
    expect(parseIp('fe80::1%eth0').ok).toBe(false);
    expect(parseIp('::ffff:10.0.0.1').ok).toBe(false);
  });

  it('matches IPv6 blocks and keeps families apart', () => {
    const v6 = cidr('2001:db8::/64');
    const inside = parseIp('2001:db8::42');
    const v4 = parseIp('10.0.0.1');
    if (!inside.ok || !v4.ok) throw new Error('parse');
    expect(cidrContains(v6, inside.value)).toBe(true);
    expect(cidrContains(v6, v4.value)).toBe(false);
    expect(cidrContains(cidr('0.0.0.0/0'), v4.value)).toBe(true);
  });

  it('subtracts except blocks into the fewest prefixes covering the rest', () => {
    expect(subtractCidrs(cidr('10.0.0.0/24'), [cidr('10.0.0.10/32')]).map((c) => c.text)).toEqual([
      '10.0.0.0/29',
      '10.0.0.8/31',
      '10.0.0.11/32',
      '10.0.0.12/30',
      '10.0.0.16/28',
      '10.0.0.32/27',
      '10.0.0.64/26',
      '10.0.0.128/25',
    ]);
    expect(subtractCidrs(cidr('10.0.0.0/8'), [cidr('10.0.0.0/9'), cidr('10.128.0.0/9')])).toEqual(
      [],
    );
    expect(
      subtractCidrs(cidr('2001:db8::/126'), [cidr('2001:db8::1/128')]).map((c) => c.text),
    ).toEqual(['2001:db8::/128', '2001:db8::2/127']);
  });
});
