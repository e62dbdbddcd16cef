/**
 * The YAML parser's errors, said so a person can act on them: a duplicate key named with the line
 * of its first use, an unclosed quote at the line where it opens (the parser notices at the end of
 * the file), and a nesting too deep for the parser reported once, not once per bracket.
 */
import type { YAMLError } from 'yaml';
import type { InputProblem } from '../core/errors.js';
import { maxYamlDepth } from './input-limits.js';

/** A syntax problem; `limit` marks nesting the parser could not follow. */
export interface YamlSyntaxProblem extends InputProblem {
  limit?: 'depth';
}

const syntaxHint = 'fix the YAML syntax (indentation, a missing ":" or an unclosed quote)';

/** Most syntax problems listed: one mistake early in a file can cascade into hundreds. */
const maxListed = 20;

export function yamlSyntaxProblems(
  errors: readonly YAMLError[],
  text: string,
): YamlSyntaxProblem[] {
  const out: YamlSyntaxProblem[] = [];
  let deep = false;
  for (const e of errors) {
    if (e.code === 'RESOURCE_EXHAUSTION' || /call stack/i.test(e.message)) {
      if (deep) continue;
      deep = true;
      out.push({
        path: '',
        ...lineAt(text, e.pos[0]),
        message: `values are nested too deep for the YAML parser (more than ${maxYamlDepth} levels is refused)`,
        hint: 'no netbench file nests this deep; look for runaway brackets or indentation',
        limit: 'depth',
      });
    } else if (e.code === 'DUPLICATE_KEY') out.push(duplicateKey(text, e.pos[0]));
    else if (e.code === 'MISSING_CHAR' && /quote/i.test(e.message)) {
      out.push(unclosedQuote(text, e.pos[0], e.message));
    } else {
      out.push({
        path: '',
        ...lineAt(text, e.pos[0]),
        message: e.message.split('\n')[0] ?? e.message,
        hint: syntaxHint,
      });
    }
  }
  if (out.length > maxListed) {
    const more = out.length - maxListed;
    return [
      ...out.slice(0, maxListed),
      {
        path: '',
        message: `and ${more} more`,
        hint: 'fix the first ones: later ones often follow',
      },
    ];
  }
  return out;
}

function lineAt(text: string, offset: number): { line: number } {
  let line = 1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) line += 1;
  return { line };
}

/** The key at `offset` as written (`repetitions`, `"a b"`), up to its colon. */
function keyText(text: string, offset: number): string {
  const m = /^("(?:[^"\\\n]|\\.)*"|'(?:[^'\n]|'')*'|[^:\n#]*?)\s*:/.exec(text.slice(offset));
  return (m?.[1] ?? text.slice(offset).split('\n')[0] ?? '').trim();
}

function duplicateKey(text: string, offset: number): YamlSyntaxProblem {
  const key = keyText(text, offset);
  const indent = offset - (text.lastIndexOf('\n', offset - 1) + 1);
  // The first use: the last line before this one with the same key at the same indentation.
  const before = text.slice(0, offset).split('\n');
  const quoted = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const same = new RegExp(`^[ -]{${indent}}${quoted}\\s*:`);
  let first: number | undefined;
  for (let i = before.length - 2; i >= 0; i--) {
    if (same.test(before[i] ?? '')) {
      first = i + 1;
      break;
    }
    if ((before[i] ?? '').trim() !== '' && /^\s*/.exec(before[i] ?? '')![0].length < indent) break;
  }
  return {
    path: '',
    ...lineAt(text, offset),
    message: `key "${key}" appears twice in the same mapping${first === undefined ? '' : ` (first at line ${first})`}`,
    hint: 'keep one of them: YAML does not say which would win',
  };
}

function unclosedQuote(text: string, offset: number, message: string): YamlSyntaxProblem {
  const quote = message.includes("'") && !message.includes('"') ? "'" : '"';
  const opening = text.lastIndexOf(quote, Math.max(0, offset - 1));
  const at = opening < 0 ? offset : opening;
  return {
    path: '',
    ...lineAt(text, at),
    message: `a ${quote}…${quote} string opened here is never closed`,
    hint: `close it with ${quote}, or write the value without quotes`,
  };
}
