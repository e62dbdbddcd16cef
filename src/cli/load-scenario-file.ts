/** Reading a scenario from a path (or the built-in default) with friendly file errors. */
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NetbenchError } from '../core/errors.js';
import type { CliStream } from './context.js';
import { defaultScenarioName, defaultScenarioYaml } from '../spec/default-scenario.js';
import { maxPolicyFileBytes, maxScenarioBytes } from '../spec/input-limits.js';
import { parseScenarioWithWarnings } from '../spec/load-scenario.js';
import type { Scenario } from '../spec/scenario-schema.js';

export interface LoadedScenario {
  scenario: Scenario;
  /** The path as given, or the built-in default's name. */
  source: string;
  /** Legal but probably unmeant (see dimension-applicability.ts); printed on stderr. */
  warnings: string[];
}

/**
 * Reads a text input, refusing it past `maxBytes` without reading further (a 50 MB list, or
 * /dev/zero, costs no more than the limit), and refusing binary content.
 */
export async function readTextFile(
  path: string,
  cwd: string,
  what: string,
  maxBytes: number = maxPolicyFileBytes,
): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readBounded(resolve(cwd, path), maxBytes);
  } catch (error) {
    if (error instanceof NetbenchError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new NetbenchError('NB_FILE_NOT_FOUND', `${what} ${path} does not exist`, {
        hint: `check the path (relative to ${cwd}); examples are in examples/`,
      });
    }
    throw new NetbenchError(
      'NB_FILE_UNREADABLE',
      `cannot read ${what} ${path}: ${code === 'EISDIR' ? 'it is a directory' : (code ?? String(error))}`,
      { hint: `give the path of a ${what} file` },
    );
  }
  if (bytes.length > maxBytes) {
    throw new NetbenchError(
      'NB_INPUT_TOO_LARGE',
      `${what} ${path} is larger than ${formatBytesLimit(maxBytes)}, the most netbench reads`,
      {
        hint: `a ${what} this large is almost certainly a mistake; see "Limits" in docs/scenario.md`,
      },
    );
  }
  if (bytes.includes(0)) {
    throw new NetbenchError('NB_FILE_UNREADABLE', `${what} ${path} is not a text file`, {
      hint: `give a YAML ${what} file; it holds a NUL byte`,
    });
  }
  return bytes.toString('utf8');
}

/** Reads at most `maxBytes` + 1 bytes: enough to tell a file is over the limit. */
async function readBounded(path: string, maxBytes: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const chunks: Buffer[] = [];
    let total = 0;
    while (total <= maxBytes) {
      const chunk = Buffer.alloc(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      chunks.push(chunk.subarray(0, bytesRead));
      total += bytesRead;
    }
    return Buffer.concat(chunks);
  } finally {
    await handle.close();
  }
}

function formatBytesLimit(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${bytes / (1024 * 1024)} MiB` : `${bytes / 1024} KiB`;
}

export async function loadScenarioFile(
  path: string | undefined,
  cwd: string,
): Promise<LoadedScenario> {
  if (path === undefined) {
    return {
      ...parseScenarioWithWarnings(defaultScenarioYaml, defaultScenarioName),
      source: defaultScenarioName,
    };
  }
  const text = await readTextFile(path, cwd, 'scenario', maxScenarioBytes);
  return { ...parseScenarioWithWarnings(text, path), source: path };
}

/** Warnings about a scenario, one `warning:` line each on stderr. */
export function writeWarnings(
  stderr: CliStream,
  source: string,
  warnings: readonly string[],
): void {
  for (const w of warnings) stderr.write(`warning: ${source}: ${w}\n`);
}
