/**
 * Crafted SCTP INIT packets, pure. Kernels without an SCTP stack (like the lab machines: socket()
 * fails with EPROTONOSUPPORT) cannot open associations, but netfilter still parses and filters
 * SCTP headers. So the lab probes SCTP one way: a raw IP packet (protocol 132) carrying a valid
 * INIT chunk (CRC32c checksum, RFC 9260 §3) goes out from the source pod, and a raw socket in the
 * destination pod records whether it arrived. That checks the filter on the first packet of an
 * association, not that an association forms; verify says so.
 */

export const sctpProtocolNumber = 132;
/** Bytes of a probe: 12 of common header, 20 of INIT chunk. */
export const sctpProbeBytes = 32;
/** Marks our probes in the INIT's initial TSN field ("NBPR"). */
const magic = 0x4e425052;

/** CRC32c (Castagnoli), the SCTP checksum. */
export function crc32c(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0x82f63b78 & -(c & 1));
  }
  return (c ^ 0xffffffff) >>> 0;
}

/** An INIT from `sourcePort` to `port` whose initiate tag carries probe `id` (0..2^32-2). */
export function buildSctpProbe(id: number, sourcePort: number, port: number): Buffer {
  const b = Buffer.alloc(sctpProbeBytes);
  b.writeUInt16BE(sourcePort, 0);
  b.writeUInt16BE(port, 2);
  b.writeUInt32BE(0, 4); // verification tag: 0 in an INIT
  b.writeUInt32BE(0, 8); // checksum, filled below
  b.writeUInt8(1, 12); // chunk type INIT
  b.writeUInt8(0, 13);
  b.writeUInt16BE(20, 14); // chunk length
  b.writeUInt32BE(id + 1, 16); // initiate tag, never 0
  b.writeUInt32BE(65535, 20); // advertised receiver window
  b.writeUInt16BE(1, 24); // outbound streams
  b.writeUInt16BE(1, 26); // inbound streams
  b.writeUInt32BE(magic, 28); // initial TSN
  // The CRC32c is stored little-endian (RFC 9260 appendix A).
  b.writeUInt32LE(crc32c(b), 8);
  return b;
}

/** The probe id and destination port of a received probe, or undefined for anything else. */
export function parseSctpProbe(b: Buffer): { id: number; port: number } | undefined {
  if (b.length < sctpProbeBytes || b.readUInt8(12) !== 1 || b.readUInt32BE(28) !== magic)
    return undefined;
  return { id: b.readUInt32BE(16) - 1, port: b.readUInt16BE(2) };
}
