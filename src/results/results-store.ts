/**
 * Writing and reading a results directory. Writes are atomic (temp file + rename), so a crash or
 * Ctrl-C never leaves a half-written results.json, and every finished repetition is on disk
 * before the next one starts.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetbenchError } from '../core/errors.js';
import { impossibleFigures } from './check-figures.js';
import { resultsToCsv } from './csv.js';
import { resultsSchema, resultsSchemaVersion, type Results } from './schema.js';

export const resultsFileName = 'results.json';
export const csvFileName = 'results.csv';

/** Largest results.json read, in bytes (raw histograms of thousands of repetitions fit). */
export const maxResultsBytes = 512 * 1024 * 1024;

async function writeAtomic(path: string, content: string): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`;
  await writeFile(tmp, content);
  await rename(tmp, path);
}

export async function saveResults(dir: string, results: Results): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeAtomic(join(dir, resultsFileName), `${JSON.stringify(results, null, 2)}\n`);
  await writeAtomic(join(dir, csvFileName), resultsToCsv(results));
}

/** Reads results.json from a directory or a file path, validating it against the contract. */
export async function loadResults(pathOrDir: string): Promise<Results> {
  let file = pathOrDir;
  try {
    if ((await stat(pathOrDir)).isDirectory()) file = join(pathOrDir, resultsFileName);
  } catch {
    throw new NetbenchError('NB_FILE_NOT_FOUND', `no results at ${pathOrDir}`, {
      hint: 'pass the directory `netbench run` wrote (it holds results.json) or the results.json file',
    });
  }
  let raw: unknown;
  try {
    if ((await stat(file)).size > maxResultsBytes) {
      throw new NetbenchError(
        'NB_INPUT_TOO_LARGE',
        `${file} is larger than ${maxResultsBytes / 1024 / 1024} MiB, the most netbench reads`,
        { hint: 'a results.json this large was not written by netbench run' },
      );
    }
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (error instanceof NetbenchError) throw error;
    throw new NetbenchError(
      'NB_RESULTS_INVALID',
      `${file} is not readable JSON: ${(error as Error).message}`,
      { hint: 'pass the results.json that netbench run wrote' },
    );
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || version === undefined) {
    throw new NetbenchError(
      'NB_RESULTS_INVALID',
      `${file} is not a netbench results.json: it has no schemaVersion`,
      { hint: 'pass the directory netbench run wrote, or its results.json' },
    );
  }
  if (version !== resultsSchemaVersion) {
    throw new NetbenchError(
      'NB_RESULTS_INVALID',
      `${file} has schemaVersion ${JSON.stringify(version)}; this netbench reads version ${resultsSchemaVersion}`,
      { hint: 'render it with the netbench version that wrote it' },
    );
  }
  const parsed = resultsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new NetbenchError('NB_RESULTS_INVALID', `${file} does not match the results schema`, {
      problems: parsed.error.issues.slice(0, 20).map((i) => ({
        path: i.path.join('.'),
        message: i.message,
      })),
    });
  }
  const impossible = impossibleFigures(parsed.data);
  if (impossible.length > 0) {
    throw new NetbenchError('NB_RESULTS_INVALID', `${file} holds figures no measurement gives`, {
      problems: impossible,
      hint: 'the file was edited or corrupted; render the run from an intact copy',
    });
  }
  return parsed.data;
}
