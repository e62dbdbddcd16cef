/**
 * The report's observability tables: what the lab's NetworkPolicy enforcer allowed and dropped
 * per trial and policy (summed over valid repetitions), and the packet capture of every
 * repetition, linked. Pure.
 */
import type { Results } from '../results/schema.js';
import { formatBytes } from '../analysis/format.js';
import type { Cell, Table } from './tables.js';

export function policyCountersTable(results: Results): Table | undefined {
  const rows: Cell[][] = [];
  for (const t of results.trials) {
    const totals = new Map<string, { allowed: number; dropped: number; direction: string }>();
    for (const r of t.repetitions) {
      if (r.status === 'failed' || r.policyCounters === undefined) continue;
      for (const c of r.policyCounters.counters) {
        const key = `${c.policy}\u0000${c.direction}`;
        const sum = totals.get(key) ?? { allowed: 0, dropped: 0, direction: c.direction };
        sum[c.verdict] += c.packets;
        totals.set(key, sum);
      }
    }
    for (const [key, sum] of [...totals].sort(([a], [b]) => a.localeCompare(b))) {
      rows.push([
        { text: t.id },
        { text: key.split('\u0000')[0]! },
        { text: sum.direction },
        { text: String(sum.allowed) },
        sum.dropped > 0 ? { text: String(sum.dropped), tone: 'fail' } : { text: '0' },
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  return {
    id: 'policy-verdicts',
    title: 'Policy verdicts in the lab',
    caption:
      "Packets the enforcer's rules allowed and dropped, per trial, policy and direction, summed over the measured repetitions (warm-up included), read from the kernel's iptables/nftables counters. default-deny: dropped because no rule of an isolating policy allowed them. established: packets of known connections, accepted before any policy rule (the conntrack fast path), so the policies see only each connection's first packets.",
    header: ['trial', 'policy', 'direction', 'allowed packets', 'dropped packets'],
    rows,
  };
}

export function captureTable(results: Results): Table | undefined {
  const rows: Cell[][] = [];
  for (const t of results.trials) {
    for (const r of t.repetitions) {
      if (r.capture === undefined) continue;
      rows.push([
        { text: t.id },
        { text: String(r.index + 1) },
        { text: r.capture.file, href: r.capture.file },
        { text: String(r.capture.packets) },
        { text: formatBytes(r.capture.bytes) },
      ]);
    }
  }
  if (rows.length === 0) return undefined;
  const first = results.trials
    .flatMap((t) => t.repetitions)
    .find((r) => r.capture !== undefined)!.capture!;
  return {
    id: 'captures',
    title: 'Packet captures',
    caption: `tcpdump in the client pod on all its interfaces, for the first ${first.maxDurationS} s of each repetition (agent start-up included), at most ${first.maxPackets} packets and ${formatBytes(first.maxBytes)} (headers and the start of each payload). Open them with Wireshark or tcpdump -r.`,
    header: ['trial', 'repetition', 'pcap', 'packets', 'size'],
    rows,
  };
}
