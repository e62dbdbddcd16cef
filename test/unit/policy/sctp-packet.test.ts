import { describe, expect, it } from 'vitest';
import { buildSctpProbe, crc32c, parseSctpProbe } from '../../../src/policy/probe/sctp-packet.js';

describe('crafted SCTP probes', () => {
  it('checksum with CRC32c (the RFC 3720 check value of "123456789" is e3069283)', () => {
    expect(crc32c(Buffer.from('123456789')).toString(16)).toBe('e3069283');
  });

  it('build an INIT whose checksum verifies and whose tag carries the probe id', () => {
    const b = buildSctpProbe(41, 30041, 80);
    const stored = b.readUInt32LE(8);
    const zeroed = Buffer.from(b);
    zeroed.writeUInt32LE(0, 8);
    expect(crc32c(zeroed)).toBe(stored);
    expect(b.readUInt8(12)).toBe(1);
    expect(parseSctpProbe(b)).toEqual({ id: 41, port: 80 });
  });

  it('ignore packets that are not netbench probes', () => {
    expect(parseSctpProbe(Buffer.alloc(32))).toBeUndefined();
    expect(parseSctpProbe(Buffer.alloc(8))).toBeUndefined();
  });
});
