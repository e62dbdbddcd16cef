/**
 * Bounds on a parsed YAML document, checked before anything turns it into data: nesting depth and
 * the size it would have with every alias expanded (the billion-laughs bomb). The walk recurses
 * at most `maxYamlDepth` deep, since it stops at the first node past it.
 */
import { isAlias, isCollection, isPair, type Document, type LineCounter, type Node } from 'yaml';
import type { InputProblem } from '../core/errors.js';
import { maxYamlDepth, maxYamlExpandedNodes } from './input-limits.js';

/** What a document breaks, if anything (`unresolved`: an alias without its anchor), with its line. */
export interface YamlLimitProblem extends InputProblem {
  limit: 'depth' | 'aliases' | 'unresolved';
}

class LimitExceeded extends Error {
  constructor(readonly problem: YamlLimitProblem) {
    super(problem.message);
  }
}

/** Checks depth and expanded size of one document; the first limit crossed, or undefined. */
export function checkYamlLimits(
  doc: Document.Parsed,
  lineCounter: LineCounter,
): YamlLimitProblem | undefined {
  // Expanded size of every anchored node measured so far (anchors precede their aliases).
  const sizes = new Map<unknown, number>();
  const lineAt = (node: unknown): { line?: number } => {
    const start = (node as { range?: [number, number, number] } | null)?.range?.[0];
    return start === undefined ? {} : { line: lineCounter.linePos(start).line };
  };
  let total = 0;
  const measure = (node: unknown, depth: number): number => {
    if (node === null || node === undefined) return 0;
    if (isAlias(node)) {
      const source = node.resolve(doc);
      if (source === undefined) {
        throw new LimitExceeded({
          limit: 'unresolved',
          path: '',
          ...lineAt(node),
          message: `alias *${node.source} names no anchor`,
          hint: `define &${node.source} on a value before this alias, or write the value out`,
        });
      }
      const size = sizes.get(source);
      if (size === undefined) {
        throw new LimitExceeded({
          limit: 'aliases',
          path: '',
          ...lineAt(node),
          message: `alias *${node.source} refers to a value that contains it`,
          hint: 'a YAML alias must not point into its own anchor; write the value out',
        });
      }
      total += size;
      if (total > maxYamlExpandedNodes) throw aliasBomb(node);
      return size;
    }
    if (depth > maxYamlDepth) {
      throw new LimitExceeded({
        limit: 'depth',
        path: '',
        ...lineAt(node),
        message: `values are nested more than ${maxYamlDepth} levels deep`,
        hint: 'no netbench file nests this deep; look for runaway brackets or indentation',
      });
    }
    let size = 1;
    if (isCollection(node)) {
      for (const item of node.items) {
        if (isPair(item)) {
          size += measure(item.key, depth + 1) + measure(item.value, depth + 1);
        } else size += measure(item, depth + 1);
      }
    }
    total += 1;
    if ((node as Node).anchor !== undefined) sizes.set(node, size);
    return size;
  };
  const aliasBomb = (node: { source: string }): LimitExceeded =>
    new LimitExceeded({
      limit: 'aliases',
      path: '',
      ...lineAt(node),
      message: `aliases expand the document past ${maxYamlExpandedNodes.toLocaleString('en')} values (at *${node.source})`,
      hint: 'this looks like an alias bomb; write the values out, or reuse fewer aliases of large anchors',
    });
  try {
    measure(doc.contents, 1);
    return undefined;
  } catch (error) {
    if (error instanceof LimitExceeded) return error.problem;
    throw error;
  }
}
