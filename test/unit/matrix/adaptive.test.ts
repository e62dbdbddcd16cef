import { describe, expect, it } from 'vitest';
import type { NetbenchError } from '../../../src/core/errors.js';
import { adaptivePlan, plannedRounds } from '../../../src/matrix/adaptive.js';
import { parseScenario } from '../../../src/spec/load-scenario.js';

const parse = (extra: string) => parseScenario(`name: a\n${extra}`, 'a.yaml');

describe('repetitions: auto', () => {
  it('takes the precision and budget as written, and plans rounds up to the cap', () => {
    const s = parse('repetitions: auto\nprecision: 5%\nbudget: 4m\n');
    expect(adaptivePlan(s)).toEqual({
      precision: 0.05,
      budgetS: 240,
      minRounds: 3,
      maxRounds: 100,
    });
    expect(plannedRounds(s)).toBe(100);
  });

  it('defaults to ±10 % within 5 minutes', () => {
    expect(adaptivePlan(parse('repetitions: auto\n'))).toMatchObject({
      precision: 0.1,
      budgetS: 300,
    });
  });

  it('is absent for a fixed number of repetitions', () => {
    const s = parse('repetitions: 4\n');
    expect(adaptivePlan(s)).toBeUndefined();
    expect(plannedRounds(s)).toBe(4);
  });

  it('rejects a precision outside 0-100 % with a hint', () => {
    try {
      parse('repetitions: auto\nprecision: 150%\n');
      expect.unreachable();
    } catch (error) {
      expect((error as NetbenchError).problems[0]?.message).toContain('precision "150%"');
      expect((error as NetbenchError).problems[0]?.hint).toContain('5%');
    }
  });
});
