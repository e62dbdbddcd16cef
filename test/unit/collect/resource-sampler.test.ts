import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/core/logger.js';
import { createResourceSampler } from '../../../src/collect/resource-sampler.js';
import type { ResourceReading } from '../../../src/platform/platform.js';

/** A platform whose counters advance by one reading each time they are read. */
function countingReader(): { read: () => Promise<ResourceReading>; reads: () => number } {
  let n = 0;
  return {
    reads: () => n,
    read: () => {
      n += 1;
      return Promise.resolve({
        atMs: n * 1000,
        groups: [
          {
            scope: 'pod',
            name: 'client',
            node: 'node1',
            role: 'client',
            cpuSeconds: n * 0.5,
            rssBytes: n * 100,
          },
        ],
      });
    },
  };
}

describe('createResourceSampler', () => {
  it('reads at the start and end of the window and reports usage between them', async () => {
    const platform = countingReader();
    const sampler = createResourceSampler({
      read: platform.read,
      logger: silentLogger,
      intervalMs: 60_000,
    });
    sampler.start();
    sampler.end();
    const usage = await sampler.result({ requests: 1000 });
    expect(platform.reads()).toBe(2);
    expect(usage).toHaveLength(1);
    expect(usage?.[0]).toMatchObject({
      name: 'client',
      cpuSeconds: 0.5,
      cpuPercent: 50,
      rssBytes: 200,
      peakRssBytes: 200,
    });
    expect(usage?.[0]?.cpuSecondsPer1kRequests).toBeCloseTo(0.5);
  });

  it('has no result when the window never ended (a failed repetition)', async () => {
    const platform = countingReader();
    const sampler = createResourceSampler({ read: platform.read, logger: silentLogger });
    sampler.start();
    sampler.stop();
    expect(await sampler.result({})).toBeUndefined();
  });

  it('skips a failed reading instead of failing the measurement', async () => {
    const platform = countingReader();
    let first = true;
    const sampler = createResourceSampler({
      read: () => {
        if (first) {
          first = false;
          return Promise.reject(new Error('gone'));
        }
        return platform.read();
      },
      logger: silentLogger,
      intervalMs: 60_000,
    });
    sampler.start();
    sampler.end();
    expect(await sampler.result({})).toEqual([]);
  });
});
