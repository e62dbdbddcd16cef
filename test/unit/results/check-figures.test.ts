import { describe, expect, it } from 'vitest';
import { impossibleFigures } from '../../../src/results/check-figures.js';
import type { Results } from '../../../src/results/schema.js';
import { loadFixture } from '../report/fixtures.js';

/** The first repetition of `results`, with a graph trace of an entry and one call in it. */
async function withTrace(span: {
  parent: number;
  hopUs: number;
  serverUs: number;
}): Promise<Results> {
  const results = await loadFixture('quick-a');
  const repetition = results.trials[0]!.repetitions[0]! as unknown as Record<string, unknown>;
  repetition.graph = {
    traces: [
      {
        spans: [
          { service: 'a', pod: 'a-0', parent: -1, startUs: 0, serverUs: 900, selfUs: 400 },
          { service: 'b', pod: 'b-0', startUs: 10, callUs: 500, selfUs: 1, ...span },
        ],
      },
    ],
  };
  return results;
}

describe('figures no measurement gives', () => {
  it("accept a trace's entry span, whose parent index is -1, and a hop a µs below zero from its timers' rounding", async () => {
    expect(impossibleFigures(await withTrace({ parent: 0, hopUs: -1, serverUs: 501 }))).toEqual([]);
  });

  it('still name a negative server time inside a trace', async () => {
    const problems = impossibleFigures(await withTrace({ parent: 0, hopUs: 0, serverUs: -5 }));
    expect(problems.map((p) => p.message).join('\n')).toContain('serverUs -5 is negative');
  });
});
