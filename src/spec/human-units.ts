/** Zod types for the human units of scenario files, built on the parsers in core/units. */
import { z } from 'zod';
import { parseBytes, parseDuration, parseRate, type ParseOutcome } from '../core/units.js';

function human<T>(parse: (input: unknown) => ParseOutcome<T>): z.ZodType<T, string | number> {
  return z.union([z.string(), z.number()]).transform((input, ctx) => {
    const outcome = parse(input);
    if (outcome.ok) return outcome.value;
    ctx.addIssue({ code: 'custom', message: outcome.message, params: { hint: outcome.hint } });
    return z.NEVER;
  });
}

/** `30s`, `250ms`, `2m` → seconds. */
export const durationSchema = human(parseDuration);
/** `1000`, `1k` → requests per second. */
export const rateSchema = human(parseRate);
/** `64`, `1KiB` → bytes. */
export const bytesSchema = human(parseBytes);
