import { describe, expect, it } from 'vitest';
import { countTrials } from '../../../src/spec/expansion-limit.js';
import { maxTrials } from '../../../src/spec/input-limits.js';
import { parseScenario, parseScenarioWithWarnings } from '../../../src/spec/load-scenario.js';
import { parseYamlSource } from '../../../src/spec/yaml-source.js';
import { thrown } from '../../helpers/errors.js';

describe('counting a scenario before expanding it', () => {
  it('multiplies the matrix lists and adds what each include cell adds', () => {
    expect(
      countTrials({
        matrix: { datapath: ['bridge', 'vxlan'], rate: [1, 2, 3], placement: 'same-node' },
        include: [{ datapath: 'routed' }],
      }),
    ).toBe(2 * 3 + 3);
  });

  it('refuses a sweep past the limit naming the count and the longest list, at its line', () => {
    const lists = (n: number): string =>
      `[${Array.from({ length: n }, (_, i) => i + 1).join(', ')}]`;
    const e = thrown(() =>
      parseScenario(
        `name: big\nmatrix:\n  streams: ${lists(20)}\n  rate: ${lists(1000)}\n`,
        'big.yaml',
      ),
    ) as { code: string; message: string; problems: { path: string; line?: number }[] };
    expect(e.code).toBe('NB_SPEC_TOO_MANY_TRIALS');
    expect(e.message).toContain(`20,000 trials, more than the ${maxTrials.toLocaleString('en')}`);
    expect(e.problems[0]).toMatchObject({ path: 'matrix.rate', line: 4 });
  });
});

describe('YAML limits', () => {
  it('accepts aliases that expand modestly', () => {
    const source = parseYamlSource('a: &x [1, 2, 3]\nb: *x\nc: *x\n', 'ok.yaml');
    expect(source.documents).toHaveLength(1);
  });

  it('refuses an alias that refers into its own anchor', () => {
    const e = thrown(() => parseYamlSource('a: &x [1, *x]\n', 'loop.yaml')) as { code: string };
    expect(['NB_SPEC_YAML', 'NB_SPEC_YAML_LIMIT']).toContain(e.code);
  });
});

describe('values no trial uses', () => {
  it('warns when only some trials use a swept dimension', () => {
    const { warnings } = parseScenarioWithWarnings(
      'name: a\nmatrix:\n  workload: [http, tcp-stream]\n  rate: [500, 1000]\n',
      'a.yaml',
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('matrix.rate');
  });

  it('does not warn when exclude removes the trials that would ignore it', () => {
    const { warnings } = parseScenarioWithWarnings(
      "name: a\nmatrix:\n  policy: ['off', default-deny-allow]\n  enforcer: [iptables, nftables]\nexclude:\n  - { policy: 'off', enforcer: nftables }\n",
      'a.yaml',
    );
    expect(warnings).toEqual([]);
  });
});
