import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseNetSnmp } from '../../../src/core/proc.js';
import { parseIperf3Json } from '../../../src/workload/iperf3/iperf3-json.js';
import {
  iperf3ClientArgs,
  iperf3Measurement,
  iperf3Seconds,
  udpSocketBufferBytes,
} from '../../../src/workload/iperf3/iperf3-workload.js';
import type { LoadRecord } from '../../../src/results/schema.js';
import { thrown } from '../../helpers/errors.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`../../fixtures/iperf3/${name}`, import.meta.url), 'utf8');

interface RawSum {
  bits_per_second: number;
  seconds: number;
  retransmits?: number;
  lost_packets?: number;
  packets?: number;
  lost_percent?: number;
  jitter_ms?: number;
}
const raw = (name: string): { end: { sum_sent: RawSum; sum_received: RawSum } } =>
  JSON.parse(fixture(name)) as { end: { sum_sent: RawSum; sum_received: RawSum } };

const load: LoadRecord = {
  spec: 300e6,
  fraction: null,
  offered: 300e6,
  unit: 'bps',
  capacity: null,
};

describe('parseIperf3Json', () => {
  it.each([
    ['loopback-tcp-1stream.json', 1],
    ['loopback-tcp-4streams.json', 4],
    ['lab-bridge-tcp-1stream.json', 1],
    ['lab-bridge-tcp-2streams-paced-500mbit-each.json', 2],
  ])('reads TCP throughput, streams and retransmits of %s', (name, streams) => {
    const s = parseIperf3Json(fixture(name));
    const j = raw(name);
    expect(s.protocol).toBe('tcp');
    expect(s.streams).toBe(streams);
    expect(s.receivedBitsPerSecond).toBe(j.end.sum_received.bits_per_second);
    expect(s.sentBitsPerSecond).toBe(j.end.sum_sent.bits_per_second);
    expect(s.retransmits).toBe(j.end.sum_sent.retransmits);
    expect(s.durationS).toBe(j.end.sum_received.seconds);
    expect(s.udp).toBeUndefined();
  });

  it('reads the per-stream pacing target of a paced TCP run', () => {
    const s = parseIperf3Json(fixture('lab-bridge-tcp-2streams-paced-500mbit-each.json'));
    expect(s.targetBitsPerSecondPerStream).toBe(500_000_000);
  });

  it('reads UDP loss and jitter from the receiver, and the socket buffer asked for', () => {
    const name = 'lab-bridge-udp-default-buffers-3gbit.json';
    const s = parseIperf3Json(fixture(name));
    const j = raw(name);
    expect(s.protocol).toBe('udp');
    expect(s.udp?.lostPackets).toBe(j.end.sum_received.lost_packets);
    expect(s.udp?.packets).toBe(j.end.sum_received.packets);
    expect(s.udp?.lossPercent).toBe(j.end.sum_received.lost_percent);
    expect(s.udp?.jitterMs).toBe(j.end.sum_received.jitter_ms);
    expect(s.socketBufferBytes).toBe(0);
    expect(parseIperf3Json(fixture('lab-bridge-udp-300mbit-w4m.json')).socketBufferBytes).toBe(
      udpSocketBufferBytes,
    );
  });

  it('turns the error iperf3 reports with exit code 0 into NB_TOOL_FAILED', () => {
    const error = thrown(() => parseIperf3Json(fixture('connection-refused.json')));
    expect(error.code).toBe('NB_TOOL_FAILED');
    expect(error.message).toMatch(/Connection refused/);
  });

  it('rejects output that is not JSON with NB_TOOL_FAILED', () => {
    expect(() => parseIperf3Json('iperf3: error - unable to connect')).toThrow(
      expect.objectContaining({ code: 'NB_TOOL_FAILED' }),
    );
  });
});

describe('a UDP run at a fixed rate', () => {
  const snmp = (phase: string): Record<string, Record<string, number>> =>
    parseNetSnmp(fixture(`lab-bridge-udp-default-buffers-3gbit.snmp-${phase}.txt`));

  it('reports the receiver socket overflow beside the loss, and only the rest as datapath loss', () => {
    const summary = parseIperf3Json(fixture('lab-bridge-udp-default-buffers-3gbit.json'));
    const before = snmp('before');
    const after = snmp('after');
    const m = iperf3Measurement(
      { summary, pinning: undefined, snmp: { server: [before, after], client: [before, before] } },
      3e9,
      { load: { ...load, spec: 3e9, offered: 3e9 } },
    );
    const rcvbuf = after.Udp!.RcvbufErrors! - before.Udp!.RcvbufErrors!;
    expect(rcvbuf).toBeGreaterThan(0);
    expect(m.udp?.rcvbufErrors).toBe(rcvbuf);
    expect(m.udp?.lostPackets).toBe(summary.udp?.lostPackets);
    expect(m.udp?.lossPercent).toBe(summary.udp?.lossPercent);
    // Every lost datagram was dropped at the receiving socket: none is left for the datapath.
    expect(m.udp?.datapathLostPackets).toBe(Math.max(0, summary.udp!.lostPackets - rcvbuf));
    expect(m.udp?.datapathLossPercent).toBe(0);
    expect(m.throughput?.bitsPerSecond).toBe(summary.receivedBitsPerSecond);
    expect(m.mode).toBe('open-loop');
  });

  it('is invalid when iperf3 could not send at the rate asked for', () => {
    const summary = parseIperf3Json(fixture('lab-bridge-udp-default-buffers-3gbit.json'));
    const m = iperf3Measurement({ summary, pinning: undefined }, 3e9, { load });
    expect(summary.sentBitsPerSecond).toBeLessThan(0.9 * 3e9);
    expect(m.invalidReasons.join(' ')).toMatch(/could not keep the rate/);
  });

  it('with 4 MiB buffers at a rate the receiver keeps up with, loses nothing and stays valid', () => {
    const summary = parseIperf3Json(fixture('lab-bridge-udp-300mbit-w4m.json'));
    const quiet = parseNetSnmp('Udp: InDatagrams RcvbufErrors InErrors\nUdp: 10 0 0\n');
    const m = iperf3Measurement(
      { summary, pinning: undefined, snmp: { server: [quiet, quiet], client: [quiet, quiet] } },
      300e6,
      { load },
    );
    expect(m.udp?.lostPackets).toBe(0);
    expect(m.udp?.rcvbufErrors).toBe(0);
    expect(m.udp?.socketBufferBytes).toBe(udpSocketBufferBytes);
    expect(m.invalidReasons).toEqual([]);
  });
});

describe('iperf3 client arguments', () => {
  const base = { omitS: 1, durationS: 5, streams: 1 } as const;

  it('never sends UDP unpaced, and raises both socket buffers', () => {
    const args = iperf3ClientArgs('10.0.0.2', { ...base, protocol: 'udp', targetBps: 500e6 });
    expect(args).toEqual(
      expect.arrayContaining(['-u', '-w', String(udpSocketBufferBytes), '-b', '500000000']),
    );
  });

  it('splits the pacing target over parallel streams, which iperf3 paces one by one', () => {
    const args = iperf3ClientArgs('10.0.0.2', {
      ...base,
      protocol: 'tcp',
      streams: 4,
      targetBps: 2e9,
    });
    expect(args.slice(args.indexOf('-P'), args.indexOf('-P') + 2)).toEqual(['-P', '4']);
    expect(args[args.indexOf('-b') + 1]).toBe('500000000');
  });

  it('leaves an unpaced TCP run without -b', () => {
    expect(
      iperf3ClientArgs('10.0.0.2', { ...base, protocol: 'tcp', targetBps: null }),
    ).not.toContain('-b');
  });

  it('gives iperf3 whole seconds: warm-up rounded up, duration at least one second', () => {
    expect(iperf3Seconds(0.5, 0.4)).toEqual({ omitS: 1, durationS: 1 });
    expect(iperf3Seconds(2, 10)).toEqual({ omitS: 2, durationS: 10 });
  });
});
