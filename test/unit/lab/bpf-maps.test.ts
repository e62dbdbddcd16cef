import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  batchLines,
  endpointUpdate,
  parseCounters,
  serviceUpdates,
} from '../../../src/platform/lab/ebpf/bpf-maps.js';

const hex = (bytes: Uint8Array): string[] =>
  [...bytes].map((b) => `0x${b.toString(16).padStart(2, '0')}`);

describe('eBPF datapath map layout', () => {
  it('encodes an endpoint exactly as bpftool dumped one the programs used (little-endian host)', () => {
    // Captured: `bpftool -j map dump pinned …/maps/endpoints` of a working ebpf lab.
    const update = endpointUpdate(
      {
        podIp: '10.244.1.10',
        ifindex: 3,
        podMac: 'ea:ea:1c:e2:88:23',
        nodeMac: '7e:bb:83:b4:e4:96',
      },
      'LE',
    );
    expect(hex(update.key)).toEqual(['0x0a', '0xf4', '0x01', '0x0a']);
    expect(hex(update.value)).toEqual(
      '0x03 0x00 0x00 0x00 0xea 0xea 0x1c 0xe2 0x88 0x23 0x7e 0xbb 0x83 0xb4 0xe4 0x96'.split(' '),
    );
  });

  it('stores a service as a count in slot 0 and one backend per slot, ports in network order', () => {
    const updates = serviceUpdates(
      {
        address: '10.96.0.10',
        port: 80,
        protocol: 'tcp',
        backends: [
          { address: '10.244.1.11', port: 8080 },
          { address: '10.244.1.12', port: 8080 },
        ],
      },
      'LE',
    );
    expect(updates).toHaveLength(3);
    // key: address, port 80 (0x0050), protocol 6, pad, slot (u32)
    expect(hex(updates[0]!.key)).toEqual(
      '0x0a 0x60 0x00 0x0a 0x00 0x50 0x06 0x00 0x00 0x00 0x00 0x00'.split(' '),
    );
    expect(hex(updates[0]!.value).slice(8)).toEqual(['0x02', '0x00', '0x00', '0x00']);
    expect(hex(updates[2]!.key).slice(8)).toEqual(['0x02', '0x00', '0x00', '0x00']);
    // backend: 10.244.1.12, port 8080 (0x1f90)
    expect(hex(updates[2]!.value).slice(0, 6)).toEqual('0x0a 0xf4 0x01 0x0c 0x1f 0x90'.split(' '));
  });

  it('writes one bpftool batch line per update', () => {
    const lines = batchLines('/run/netbench/x/bpffs/e1-node1/maps/endpoints', [
      endpointUpdate(
        {
          podIp: '10.244.1.10',
          ifindex: 3,
          podMac: '00:00:00:00:00:01',
          nodeMac: '00:00:00:00:00:02',
        },
        'LE',
      ),
    ]);
    expect(lines).toBe(
      'map update pinned /run/netbench/x/bpffs/e1-node1/maps/endpoints key hex 0a f4 01 0a value hex 03 00 00 00 00 00 00 00 00 01 00 00 00 00 00 02',
    );
  });

  it('rejects addresses that are not IPv4 or MAC addresses', () => {
    expect(() =>
      endpointUpdate({ podIp: '10.244.1', ifindex: 1, podMac: 'x', nodeMac: 'y' }, 'LE'),
    ).toThrow(/not an IPv4 address/);
  });

  const dump = readFileSync(
    new URL('../../fixtures/lab/bpftool-dump-counters.json', import.meta.url),
    'utf8',
  );

  it('sums per-CPU counters from real bpftool JSON (BTF-formatted)', () => {
    expect(parseCounters(dump, 'LE')).toEqual({
      redirectPeer: 1,
      redirectNeigh: 1,
      passedToStack: 4,
      serviceNew: 0,
      serviceHit: 0,
      reverseNat: 0,
      dropped: 0,
    });
  });

  it('sums the same counters from raw bytes when the map has no BTF', () => {
    const raw = (JSON.parse(dump) as Record<string, unknown>[]).map(
      ({ formatted: _formatted, ...rest }) => rest,
    );
    expect(parseCounters(JSON.stringify(raw), 'LE')).toEqual(parseCounters(dump, 'LE'));
  });
});
