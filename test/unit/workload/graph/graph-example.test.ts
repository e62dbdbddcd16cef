import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expandMatrix } from '../../../../src/matrix/expand.js';
import { topologyFor, workloadProblem } from '../../../../src/matrix/topology.js';
import { parseScenario } from '../../../../src/spec/load-scenario.js';

describe('examples/service-graphs.yaml', () => {
  it('crosses chains of depth 1, 2 and 4 and bookinfo with three mesh modes, all plannable', () => {
    const file = new URL('../../../../examples/service-graphs.yaml', import.meta.url);
    const trials = expandMatrix(parseScenario(readFileSync(file, 'utf8'), 'service-graphs.yaml'));
    expect(trials.map((t) => t.id)).toEqual(
      ['no-mesh', 'sidecar', 'node-proxy'].flatMap((m) =>
        ['chain-1', 'chain-2', 'chain-4', 'bookinfo'].map((g) => `${m}/${g}`),
      ),
    );
    for (const t of trials) {
      expect(workloadProblem(t.dimensions)).toBeUndefined();
      const topology = topologyFor(t.dimensions);
      expect(topology.nodes).toHaveLength(2);
    }
  });
});
