/**
 * YAML parsing that keeps positions, so every problem can name its line. Shared by scenario,
 * policy and model files.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
} from 'yaml';
import { NetbenchError, type ErrorCode } from '../core/errors.js';
import { checkYamlLimits } from './yaml-limits.js';
import { yamlSyntaxProblems } from './yaml-syntax-problems.js';

export type PathSegment = string | number;

export interface YamlSource {
  /** Name shown in messages, usually the file path. */
  name: string;
  documents: Document.Parsed[];
  lineCounter: LineCounter;
}

/**
 * Parses one or many YAML documents; syntax errors become NB_SPEC_YAML with every line, and a
 * document past the nesting or alias limits (input-limits.ts) NB_SPEC_YAML_LIMIT, before any of
 * it is turned into data.
 */
export function parseYamlSource(text: string, name: string): YamlSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (!Array.isArray(documents)) {
    // parseAllDocuments returns an EmptyStream for an empty input.
    return { name, documents: [], lineCounter };
  }
  const problems = yamlSyntaxProblems(
    documents.flatMap((d) => d.errors),
    text,
  );
  if (problems.some((p) => p.limit === 'depth')) {
    throw new NetbenchError('NB_SPEC_YAML_LIMIT', `${name} nests values too deep to read`, {
      problems: problems.filter((p) => p.limit === 'depth'),
    });
  }
  if (problems.length > 0) {
    throw new NetbenchError('NB_SPEC_YAML', `${name} is not valid YAML`, { problems });
  }
  for (const doc of documents) {
    const limit = checkYamlLimits(doc, lineCounter);
    if (limit?.limit === 'unresolved') {
      throw new NetbenchError('NB_SPEC_YAML', `${name} is not valid YAML`, { problems: [limit] });
    }
    if (limit !== undefined) {
      const what = limit.limit === 'depth' ? 'nests values too deep' : 'expands too far';
      throw new NetbenchError('NB_SPEC_YAML_LIMIT', `${name} ${what} to read`, {
        problems: [limit],
      });
    }
  }
  return { name, documents, lineCounter };
}

export interface SingleDocument {
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** The document as plain data. */
  input: unknown;
}

/**
 * Parses a file that must hold exactly one YAML document (a scenario, a policy model): an empty
 * file and extra `---` documents become `code` errors naming the file, with `emptyHint`.
 */
export function parseSingleDocument(
  text: string,
  name: string,
  code: ErrorCode,
  what: string,
  emptyHint: string,
): SingleDocument {
  const source = parseYamlSource(text, name);
  const doc = source.documents[0];
  if (doc === undefined || doc.contents === null) {
    throw new NetbenchError(code, `${name} is empty`, { hint: emptyHint });
  }
  if (source.documents.length > 1) {
    throw new NetbenchError(code, `${name} holds ${source.documents.length} YAML documents`, {
      hint: `a ${what} file holds exactly one document; remove the extra "---"`,
    });
  }
  return { doc, lineCounter: source.lineCounter, input: doc.toJS() };
}

/** The 1-based line of the value at `path`, or of its nearest existing ancestor. */
export function lineOf(
  doc: Document.Parsed,
  lineCounter: LineCounter,
  path: readonly PathSegment[],
  options: { keyOf?: string } = {},
): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const segment of path) {
    const next = child(node, segment);
    if (next === undefined) break;
    node = next.value;
    offset = next.keyOffset ?? rangeStart(node) ?? offset;
    if (rangeStart(node) !== undefined) offset = rangeStart(node);
  }
  if (options.keyOf !== undefined) {
    const pair = child(node, options.keyOf);
    if (pair?.keyOffset !== undefined) offset = pair.keyOffset;
  }
  return offset === undefined ? undefined : lineCounter.linePos(offset).line;
}

function rangeStart(node: unknown): number | undefined {
  if (node !== null && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] }).range;
    return range?.[0];
  }
  return undefined;
}

function child(
  node: unknown,
  segment: PathSegment,
): { value: unknown; keyOffset: number | undefined } | undefined {
  if (isMap(node)) {
    for (const item of node.items) {
      if (!isPair(item)) continue;
      const key = isScalar(item.key) ? item.key.value : item.key;
      if (String(key) === String(segment)) {
        return { value: item.value, keyOffset: rangeStart(item.key) };
      }
    }
    return undefined;
  }
  if (isSeq(node) && typeof segment === 'number') {
    const value: unknown = node.items[segment];
    return value === undefined ? undefined : { value, keyOffset: undefined };
  }
  return undefined;
}

/** `matrix.rate[1]` from `['matrix', 'rate', 1]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const s of path) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? s : `.${s}`;
  }
  return out;
}
