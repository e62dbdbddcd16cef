import { describe, expect, it } from 'vitest';
import { commandFlags, helpText, parseFlagValues, flags } from '../../../src/cli/flags.js';
import { thrown } from '../../helpers/errors.js';

describe('the flag table', () => {
  it('parses typed values and fills defaults written once in the table', () => {
    expect(
      parseFlagValues(commandFlags.compare, { threshold: ['p99 < 5%'], level: '99%' }),
    ).toEqual({
      threshold: ['p99 < 5%'],
      level: 0.99,
      iterations: 2000,
    });
    expect(parseFlagValues(commandFlags.run, { seed: '42', duration: '5s', quiet: true })).toEqual({
      seed: 42,
      duration: 5,
      quiet: true,
      // A repeatable flag always has its list, empty when not given.
      imagePullSecret: [],
    });
  });

  it('refuses a seed the scenario file would refuse', () => {
    for (const seed of ['abc', '-1', '1.5', '1e3', '2147483648']) {
      const e = thrown(() => parseFlagValues(commandFlags.plan, { seed }));
      expect(e.code).toBe('NB_USAGE_BAD_FLAG');
      expect(e.message).toContain(`--seed "${seed}"`);
    }
  });

  it('shows each default in help from the table', () => {
    expect(helpText(flags.iterations)).toBe('bootstrap resamples per figure (default: 2000)');
    expect(helpText(flags.threshold)).toContain('(repeatable)');
  });
});
