import type { ESLint, Rule } from 'eslint';

/** Parts of src/ and their layer (0 is the ground), most specific prefix first. */
export declare const layers: [prefix: string, layer: number][];
/** The part of the house a path under src/ belongs to, or undefined when none matches. */
export declare function partOf(relative: string): { part: string; layer: number } | undefined;
export declare const layeringRule: Rule.RuleModule;
declare const plugin: ESLint.Plugin;
export default plugin;
