/**
 * The byte layout of the eBPF datapath's maps (bpf/datapath.bpf.c), pure: keys and values as
 * `bpftool batch` lines, and the counters read back. Addresses and ports are in network byte
 * order, as the programs read them from packets; other integers in the host's byte order.
 */

/** One `map update` of a bpftool batch. */
export interface MapUpdate {
  key: Uint8Array;
  value: Uint8Array;
}

type Endianness = 'LE' | 'BE';

function ipv4Bytes(address: string): number[] {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not an IPv4 address: ${address}`);
  }
  return parts;
}

function macBytes(mac: string): number[] {
  const parts = mac.split(':').map((h) => Number.parseInt(h, 16));
  if (parts.length !== 6 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) {
    throw new Error(`not a MAC address: ${mac}`);
  }
  return parts;
}

function u32(value: number, endianness: Endianness): number[] {
  const b = [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
  return endianness === 'LE' ? b : b.reverse();
}

function be16(value: number): number[] {
  return [(value >>> 8) & 0xff, value & 0xff];
}

/** `struct endpoint` keyed by the pod's address. */
export function endpointUpdate(
  e: { podIp: string; ifindex: number; podMac: string; nodeMac: string },
  endianness: Endianness,
): MapUpdate {
  return {
    key: Uint8Array.from(ipv4Bytes(e.podIp)),
    value: Uint8Array.from([
      ...u32(e.ifindex, endianness),
      ...macBytes(e.podMac),
      ...macBytes(e.nodeMac),
    ]),
  };
}

const ipProtocolNumbers = { tcp: 6, udp: 17 } as const;

/** A Service in `services`: slot 0 holds the backend count, slots 1..n the backends. */
export function serviceUpdates(
  s: {
    address: string;
    port: number;
    protocol: keyof typeof ipProtocolNumbers;
    backends: readonly { address: string; port: number }[];
  },
  endianness: Endianness,
): MapUpdate[] {
  const key = (slot: number): Uint8Array =>
    Uint8Array.from([
      ...ipv4Bytes(s.address),
      ...be16(s.port),
      ipProtocolNumbers[s.protocol],
      0,
      ...u32(slot, endianness),
    ]);
  const updates: MapUpdate[] = [
    {
      key: key(0),
      value: Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0, ...u32(s.backends.length, endianness)]),
    },
  ];
  s.backends.forEach((b, i) => {
    updates.push({
      key: key(i + 1),
      value: Uint8Array.from([...ipv4Bytes(b.address), ...be16(b.port), 0, 0, 0, 0, 0, 0]),
    });
  });
  return updates;
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

/** bpftool batch input updating the map pinned at `pinnedMap`. */
export function batchLines(pinnedMap: string, updates: readonly MapUpdate[]): string {
  return updates
    .map((u) => `map update pinned ${pinnedMap} key hex ${hex(u.key)} value hex ${hex(u.value)}`)
    .join('\n');
}

/** Index of each counter in the `counters` array (enum counter in the C source). */
export const counterIndex = {
  redirectPeer: 0,
  redirectNeigh: 1,
  passedToStack: 2,
  serviceNew: 3,
  serviceHit: 4,
  reverseNat: 5,
  dropped: 6,
} as const;

export type CounterName = keyof typeof counterIndex;
export type Counters = Record<CounterName, number>;

interface DumpEntry {
  formatted?: { key: number; values: { cpu: number; value: number }[] };
  key?: string[];
  values?: { cpu: number; value: string[] }[];
}

/** Sums the per-CPU counters of `bpftool -j map dump` output (BTF-formatted or raw bytes). */
export function parseCounters(json: string, endianness: Endianness): Counters {
  const sums = new Map<number, number>();
  for (const entry of JSON.parse(json) as DumpEntry[]) {
    if (entry.formatted !== undefined) {
      const total = entry.formatted.values.reduce((a, v) => a + v.value, 0);
      sums.set(entry.formatted.key, total);
      continue;
    }
    const key = bytesToInt(entry.key ?? [], endianness);
    const total = (entry.values ?? []).reduce((a, v) => a + bytesToInt(v.value, endianness), 0);
    sums.set(key, total);
  }
  const out = {} as Counters;
  for (const [name, index] of Object.entries(counterIndex) as [CounterName, number][]) {
    out[name] = sums.get(index) ?? 0;
  }
  return out;
}

function bytesToInt(bytes: readonly string[], endianness: Endianness): number {
  const values = bytes.map((b) => Number.parseInt(b, 16));
  const ordered = endianness === 'LE' ? [...values].reverse() : values;
  return ordered.reduce((acc, b) => acc * 256 + b, 0);
}
