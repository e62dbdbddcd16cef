/**
 * Turns zod issues into `InputProblem`s a person can act on: the path, the line, a message that
 * quotes the bad value and a hint (valid choices, the closest spelling).
 */
import type { z } from 'zod';
import type { Document, LineCounter } from 'yaml';
import type { InputProblem } from '../core/errors.js';
import { suggestionHint } from './suggest.js';
import { formatPath, lineOf, type PathSegment } from './yaml-source.js';

type Issue = z.core.$ZodIssue;

export interface IssueContext {
  doc?: Document.Parsed;
  lineCounter?: LineCounter;
  /** The parsed input, to quote bad values. */
  input: unknown;
  /** Prepended to every path (e.g. the document index in a multi-document file). */
  pathPrefix?: readonly PathSegment[];
  /** The schema that was parsed, to list valid keys for an unknown one. */
  schema?: z.ZodType;
}

export function issuesToProblems(issues: readonly Issue[], ctx: IssueContext): InputProblem[] {
  const out: InputProblem[] = [];
  for (const issue of issues) collect(issue, [], ctx, out);
  // One problem per path and message, in file order.
  const seen = new Set<string>();
  return out
    .filter((p) => {
      const key = `${p.path}\u0000${p.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

function valueAt(input: unknown, path: readonly PathSegment[]): unknown {
  let v = input;
  for (const s of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[String(s)];
  }
  return v;
}

/** zod's expected types, as a person would say them. */
const expectedText: Record<string, string> = {
  array: 'a list',
  object: 'a mapping (indented key: value lines)',
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
};

/** YAML's `.nan`, `.inf` and `-.inf`: numbers to JavaScript, nonsense in any netbench field. */
function isNonFinite(v: unknown): v is number {
  return typeof v === 'number' && !Number.isFinite(v);
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (isNonFinite(v)) return Number.isNaN(v) ? '.nan' : v > 0 ? '.inf' : '-.inf';
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function collect(
  issue: Issue,
  base: readonly PathSegment[],
  ctx: IssueContext,
  out: InputProblem[],
): void {
  const path = [...base, ...(issue.path as PathSegment[])];
  const fullPath = [...(ctx.pathPrefix ?? []), ...path];
  const line = (keyOf?: string): { line?: number } => {
    if (ctx.doc === undefined || ctx.lineCounter === undefined) return {};
    const l = lineOf(ctx.doc, ctx.lineCounter, path, keyOf === undefined ? {} : { keyOf });
    return l === undefined ? {} : { line: l };
  };
  const value = valueAt(ctx.input, path);

  if (isNonFinite(value) && (issue.code === 'invalid_union' || issue.code === 'invalid_type')) {
    out.push({
      path: formatPath(fullPath),
      ...line(),
      message: `${describeValue(value)} is not a usable value here`,
      hint: 'write a finite number or a value with its unit (YAML reads .nan and .inf as special numbers)',
    });
    return;
  }

  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = ctx.schema === undefined ? [] : knownKeysAt(ctx.schema, path);
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...fullPath, key]),
          ...line(key),
          message: `unknown key "${key}"`,
          hint:
            known.length > 0
              ? suggestionHint(key, known)
              : 'remove it; see `netbench validate --help` for the file format',
        });
      }
      return;
    }
    case 'invalid_union': {
      const branch = bestBranch(issue.errors, ctx.input, path);
      if (branch !== undefined) {
        for (const sub of branch) collect(sub, path, ctx, out);
        return;
      }
      break;
    }
    case 'invalid_value': {
      const choices = issue.values.map(String);
      out.push({
        path: formatPath(fullPath),
        ...line(),
        message: `${describeValue(value)} is not allowed here`,
        hint:
          typeof value === 'string'
            ? suggestionHint(value, choices)
            : `expected one of: ${choices.join(', ')}`,
      });
      return;
    }
    case 'invalid_type': {
      out.push({
        path: formatPath(fullPath),
        ...line(),
        message:
          value === undefined
            ? `required, expected ${issue.expected}`
            : `expected ${issue.expected}, got ${describeValue(value)}`,
        hint:
          value === undefined
            ? `add "${String(path[path.length - 1] ?? '')}"`
            : `write ${expectedText[issue.expected] ?? `a ${issue.expected}`}`,
      });
      return;
    }
    case 'custom': {
      const hint = (issue.params as { hint?: string } | undefined)?.hint;
      out.push({
        path: formatPath(fullPath),
        ...line(),
        message: issue.message,
        ...(hint === undefined ? {} : { hint }),
      });
      return;
    }
    default:
      break;
  }
  out.push({
    path: formatPath(fullPath),
    ...line(),
    message: `${describeValue(value)}: ${issue.message}`,
  });
}

interface SchemaDef {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  element?: z.ZodType;
  options?: z.ZodType[];
  in?: z.ZodType;
}

function defOf(schema: z.ZodType): SchemaDef {
  return (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
}

/** Zod's issue does not list the allowed keys; walk the schema to the object at `path`. */
export function knownKeysAt(schema: z.ZodType, path: readonly PathSegment[]): string[] {
  const found = objectsAt(schema, path, 0);
  return [...new Set(found.flatMap((s) => Object.keys(defOf(s).shape ?? {})))];
}

function objectsAt(schema: z.ZodType, path: readonly PathSegment[], depth: number): z.ZodType[] {
  if (depth > 32) return [];
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
    case 'prefault':
    case 'readonly':
    case 'catch':
      return def.innerType === undefined ? [] : objectsAt(def.innerType, path, depth + 1);
    case 'pipe':
      return def.in === undefined ? [] : objectsAt(def.in, path, depth + 1);
    case 'union':
      return (def.options ?? []).flatMap((o) => objectsAt(o, path, depth + 1));
    case 'lazy': {
      const getter = (schema as unknown as { _zod: { def: { getter: () => z.ZodType } } })._zod.def
        .getter;
      return objectsAt(getter(), path, depth + 1);
    }
    default:
      break;
  }
  if (path.length === 0) return def.type === 'object' ? [schema] : [];
  const [head, ...rest] = path;
  if (def.type === 'object' && typeof head === 'string') {
    const next = def.shape?.[head];
    return next === undefined ? [] : objectsAt(next, rest, depth + 1);
  }
  if (def.type === 'array' && typeof head === 'number' && def.element !== undefined) {
    return objectsAt(def.element, rest, depth + 1);
  }
  if (def.type === 'record' && typeof head === 'string') {
    const value = (schema as unknown as { _zod: { def: { valueType: z.ZodType } } })._zod.def
      .valueType;
    return objectsAt(value, rest, depth + 1);
  }
  return [];
}

/** Among the failed union branches, the one the user most likely meant. */
function bestBranch(
  branches: readonly (readonly Issue[])[],
  input: unknown,
  path: readonly PathSegment[],
): readonly Issue[] | undefined {
  const value = valueAt(input, path);
  let best: readonly Issue[] | undefined;
  let bestScore = Infinity;
  for (const issues of branches) {
    // A branch that wanted another kind of value (a list for a scalar) is the wrong guess; one
    // that only disliked the value (an enum choice) is probably what the user meant.
    let score = issues.length;
    for (const i of issues) {
      if (i.path.length > 0) continue;
      if (i.code === 'invalid_type') {
        score += 100;
        if (i.expected === 'array' && !Array.isArray(value)) score += 100;
      } else if (i.code === 'invalid_value') score += 10;
    }
    if (Array.isArray(value) && issues.some((i) => i.path.length > 0)) score -= 0.5;
    if (score < bestScore) {
      best = issues;
      bestScore = score;
    }
  }
  return best;
}
