import { describe, expect, it } from 'vitest';
import { usageOverWindow } from '../../../src/collect/resource-usage.js';
import type { ProcessReading, ResourceReading } from '../../../src/platform/platform.js';

const proc = (pid: number, cpuSeconds: number, rssBytes: number): ProcessReading => ({
  pid,
  startTicks: pid * 10,
  command: `p${pid}`,
  cpuSeconds,
  rssBytes,
});

const pod = (name: string, processes: ProcessReading[]) => ({
  scope: 'pod' as const,
  name,
  node: 'node1',
  role: name,
  cpuSeconds: processes.reduce((a, p) => a + p.cpuSeconds, 0),
  rssBytes: processes.reduce((a, p) => a + p.rssBytes, 0),
  processes,
});

const reading = (atMs: number, groups: ResourceReading['groups']): ResourceReading => ({
  atMs,
  groups,
});

describe('usageOverWindow', () => {
  it('charges each process the CPU it used inside the window, as % of one core', () => {
    const usage = usageOverWindow([
      reading(0, [pod('client', [proc(1, 10, 100)])]),
      reading(2000, [pod('client', [proc(1, 11.5, 300)])]),
    ]);
    expect(usage).toHaveLength(1);
    expect(usage[0]?.cpuSeconds).toBeCloseTo(1.5);
    expect(usage[0]?.cpuPercent).toBeCloseTo(75);
    expect(usage[0]?.rssBytes).toBe(300);
  });

  it('counts a process that started inside the window from zero, and one that exited until its last reading', () => {
    const usage = usageOverWindow([
      reading(0, [pod('server', [proc(1, 5, 100)])]),
      reading(1000, [pod('server', [proc(1, 5.4, 100), proc(2, 0.2, 50)])]),
      reading(2000, [pod('server', [proc(2, 0.6, 50)])]),
    ]);
    const server = usage[0]!;
    expect(server.cpuSeconds).toBeCloseTo(0.4 + 0.6);
    expect(server.processes?.map((p) => p.pid).sort()).toEqual([1, 2]);
  });

  it('keeps the highest memory of any reading as the peak', () => {
    const usage = usageOverWindow([
      reading(0, [pod('client', [proc(1, 0, 100)])]),
      reading(1000, [pod('client', [proc(1, 0, 900)])]),
      reading(2000, [pod('client', [proc(1, 0, 200)])]),
    ]);
    expect(usage[0]?.peakRssBytes).toBe(900);
    expect(usage[0]?.rssBytes).toBe(200);
    expect(usage[0]?.samples).toBe(3);
  });

  it('uses the group counter when the platform sees no processes (a cgroup reading)', () => {
    const kernel = (cpuSeconds: number) => ({
      scope: 'node' as const,
      name: 'kernel-softirq',
      node: 'host',
      role: 'kernel',
      cpuSeconds,
      rssBytes: 0,
    });
    const usage = usageOverWindow([reading(0, [kernel(3)]), reading(4000, [kernel(5)])]);
    expect(usage[0]?.cpuPercent).toBeCloseTo(50);
    expect(usage[0]?.processes).toBeUndefined();
  });

  it('gives CPU per 1000 requests and per Gbit/s of the window', () => {
    const readings = [
      reading(0, [pod('client', [proc(1, 0, 1)])]),
      reading(1000, [pod('client', [proc(1, 0.5, 1)])]),
    ];
    const [r] = usageOverWindow(readings, { requests: 10_000, bitsPerSecond: 2e9 });
    expect(r?.cpuSecondsPer1kRequests).toBeCloseTo(0.05);
    expect(r?.cpuPercentPerGbps).toBeCloseTo(25);
  });

  it('says nothing without a start and an end reading', () => {
    expect(usageOverWindow([reading(0, [pod('client', [])])])).toEqual([]);
  });
});
