import { describe, expect, it } from 'vitest';
import {
  captureSizeBoundBytes,
  defaultCaptureOptions,
  parseCapturedPackets,
} from '../../../src/capture/packet-capture.js';
import { captureFileName } from '../../../src/matrix/repetition-extras.js';

describe('packet capture', () => {
  it("reads tcpdump's packet count from what it prints at exit", () => {
    const stderr = [
      'tcpdump: data link type LINUX_SLL2',
      'tcpdump: listening on any, link-type LINUX_SLL2 (Linux cooked v2), snapshot length 128 bytes',
      '1534 packets captured',
      '1540 packets received by filter',
      '0 packets dropped by kernel',
    ].join('\n');
    expect(parseCapturedPackets(stderr)).toBe(1534);
    expect(parseCapturedPackets('1 packet captured')).toBe(1);
    expect(parseCapturedPackets('tcpdump: eth9: No such device exists')).toBeUndefined();
  });

  it('bounds the file size by packets × (snaplen + record header) + file header', () => {
    expect(captureSizeBoundBytes({ maxPackets: 10, snaplenBytes: 100, maxDurationS: 1 })).toBe(
      24 + 10 * 116,
    );
    expect(captureSizeBoundBytes(defaultCaptureOptions)).toBe(24 + 10_000 * 144);
  });

  it('names a capture after its trial and repetition, safely for a file system', () => {
    expect(captureFileName('vxlan/cross-node', 1)).toBe('vxlan_cross-node-r1.pcap');
    expect(captureFileName('default-deny-allow/iptables', 0)).toBe(
      'default-deny-allow_iptables-r0.pcap',
    );
  });
});
