import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandMatrix } from '../../../src/matrix/expand.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';

const example = (name: string) =>
  parseScenario(readFileSync(new URL(`../../../examples/${name}`, import.meta.url), 'utf8'), name);

describe('the traffic examples', () => {
  it('traffic.yaml asks for every workload at idle, moderate and high load', () => {
    const trials = expandMatrix(example('traffic.yaml'));
    expect(trials).toHaveLength(5 * 3);
    expect(new Set(trials.map((t) => t.dimensions.workload)).size).toBe(5);
    expect(new Set(trials.map((t) => t.dimensions.load))).toEqual(
      new Set(['idle', 'moderate', 'high']),
    );
  });

  it('sweep.yaml is a latency-vs-load curve of shares of one capacity', () => {
    const trials = expandMatrix(example('sweep.yaml'));
    expect(trials.map((t) => t.id)).toEqual(['10%', '25%', '50%', '75%', '90%', '100%']);
  });
});
