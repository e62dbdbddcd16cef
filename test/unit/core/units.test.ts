import { describe, expect, it } from 'vitest';
import {
  formatMicros,
  parseBitRate,
  parseBytes,
  parseDuration,
  parsePercent,
  parseRate,
} from '../../../src/core/units.js';

const ok = <T>(o: { ok: boolean; value?: T }): T | undefined => (o.ok ? o.value : undefined);

describe('human units', () => {
  it('reads durations with units and bare numbers as seconds', () => {
    expect(ok(parseDuration('30s'))).toBe(30);
    expect(ok(parseDuration('250ms'))).toBe(0.25);
    expect(ok(parseDuration('1.5m'))).toBe(90);
    expect(ok(parseDuration('2h'))).toBe(7200);
    expect(ok(parseDuration(5))).toBe(5);
  });

  it('rejects a duration in words and says how to write it', () => {
    const r = parseDuration('2 seconds');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toContain('"2 seconds"');
      expect(r.hint).toContain('30s');
    }
  });

  it('reads request rates with SI suffixes', () => {
    expect(ok(parseRate('1k'))).toBe(1000);
    expect(ok(parseRate('2.5k'))).toBe(2500);
    expect(ok(parseRate('500'))).toBe(500);
    expect(ok(parseRate(750))).toBe(750);
  });

  it('suggests the number when a rate carries a unit it does not understand', () => {
    const r = parseRate('1k/s');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.hint).toBe('did you mean "1k"?');
  });

  it('rejects zero and negative rates', () => {
    expect(parseRate(0).ok).toBe(false);
    expect(parseRate(-5).ok).toBe(false);
  });

  it('reads sizes in binary and decimal units', () => {
    expect(ok(parseBytes('1KiB'))).toBe(1024);
    expect(ok(parseBytes('1kB'))).toBe(1000);
    expect(ok(parseBytes('4MiB'))).toBe(4 * 1024 * 1024);
    expect(ok(parseBytes('64'))).toBe(64);
    expect(parseBytes('12 parsecs').ok).toBe(false);
  });

  it('reads bit rates and percentages', () => {
    expect(ok(parseBitRate('10Gbit'))).toBe(10e9);
    expect(ok(parseBitRate('100M'))).toBe(100e6);
    expect(ok(parsePercent('30%'))).toBe(30);
    expect(ok(parsePercent('0.1%'))).toBe(0.1);
    expect(parsePercent('lots').ok).toBe(false);
  });

  it('formats microseconds for people', () => {
    expect(formatMicros(71)).toBe('71µs');
    expect(formatMicros(1250)).toBe('1.25ms');
    expect(formatMicros(2_000_000)).toBe('2.00s');
  });
});
