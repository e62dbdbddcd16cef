import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  parseNetSnmp,
  parseProcStat,
  parseProcStatMachineTicks,
  parseStatmResidentPages,
  snmpDelta,
} from '../../../src/core/proc.js';

describe('parseProcStat', () => {
  it('reads CPU ticks and start time even when the command name holds spaces and parentheses', () => {
    const line =
      '4242 (my (odd) proc) S 1 4242 4242 0 -1 4194560 120 0 0 0 37 15 0 0 20 0 3 0 98765 123456 789 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcStat(line)).toEqual({
      pid: 4242,
      comm: 'my (odd) proc',
      ppid: 1,
      cpuTicks: 52,
      startTicks: 98765,
    });
  });

  it('reads this very process from /proc', () => {
    const s = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
    expect(s?.pid).toBeGreaterThan(0);
    expect(s?.startTicks).toBeGreaterThan(0);
  });

  it('says undefined for text that is not a stat line', () => {
    expect(parseProcStat('')).toBeUndefined();
  });

  it('reads resident pages from statm', () => {
    expect(parseStatmResidentPages('765 439 410 5 0 123 0\n')).toBe(439);
  });
});

describe('parseNetSnmp', () => {
  const text = readFileSync(
    new URL(
      '../../fixtures/iperf3/lab-bridge-udp-default-buffers-3gbit.snmp-after.txt',
      import.meta.url,
    ),
    'utf8',
  );

  it('pairs each header line with its values line', () => {
    const snmp = parseNetSnmp(text);
    expect(Object.keys(snmp)).toEqual(expect.arrayContaining(['Ip', 'Tcp', 'Udp', 'UdpLite']));
    expect(snmp.Udp?.RcvbufErrors).toBe(120654);
    expect(snmp.Udp?.InErrors).toBe(120654);
  });

  it('gives counter deltas, zero when a counter is missing', () => {
    const before = parseNetSnmp('Udp: RcvbufErrors InErrors\nUdp: 10 12\n');
    const after = parseNetSnmp('Udp: RcvbufErrors InErrors\nUdp: 25 30\n');
    expect(snmpDelta(before, after, 'Udp', 'RcvbufErrors')).toBe(15);
    expect(snmpDelta(before, after, 'Udp', 'SndbufErrors')).toBe(0);
  });
});

describe('parseProcStatMachineTicks', () => {
  it('adds the irq and softirq fields of the cpu line and reads steal apart', () => {
    expect(
      parseProcStatMachineTicks('cpu  168082 0 22946 166530 474 7 3052 6814 0 0\ncpu0 1 2\n'),
    ).toEqual({ interrupt: 3059, steal: 6814 });
  });

  it('counts no steal on a kernel that does not report it', () => {
    expect(parseProcStatMachineTicks('cpu  1 2 3 4 5 6 7\n')).toEqual({ interrupt: 13, steal: 0 });
  });
});
