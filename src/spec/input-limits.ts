/**
 * The limits every input is held to before netbench spends work on it, documented in
 * docs/scenario.md ("Limits"). They are far above any real file (the examples are a few KiB and a
 * few dozen trials) and far below what exhausts a laptop: a 10⁸-trial sweep or a billion-laughs
 * alias bomb is refused in milliseconds, with its line, instead of growing to gigabytes.
 */

/** Largest scenario file read, in bytes. The longest example is under 8 KiB; YAML costs
 * about 250 bytes of memory per byte of a long flow list, so this bounds a parse near 70 MB. */
export const maxScenarioBytes = 256 * 1024;

/** Largest policy model or NetworkPolicy file read, in bytes (thousands of policies fit). */
export const maxPolicyFileBytes = 16 * 1024 * 1024;

/** Deepest nesting of YAML collections; a scenario needs 4, a NetworkPolicy about 10. */
export const maxYamlDepth = 64;

/**
 * Most YAML nodes a document may stand for once its aliases are expanded (`*a` counts as the
 * whole anchored value again). Aliases are fine; an alias bomb multiplies past this.
 */
export const maxYamlExpandedNodes = 1_000_000;

/** Most trials a scenario may expand to (the product of its matrix lists, plus includes). */
export const maxTrials = 10_000;

/** Most repetitions a run may schedule (trials × repetitions). */
export const maxScheduledRepetitions = 100_000;

/** Longest `include` or `exclude` list: each is matched against every cell. */
export const maxCellPatterns = 1000;
