/**
 * Writing and reading a results directory. Writes are atomic (temp file + rename), so a crash or
 * Ctrl-C never leaves a half-written results.json, and every finished repetition is on disk
 * before the next one starts.
 */
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NetbenchError } from '../core/errors.js';
import { resultsToCsv } from './csv.js';
import { resultsSchema, resultsSchemaVersion, type Results } from './schema.js';

export const resultsFileName = 'results.json';
export const csvFileName = 'results.csv';

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
    raw = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new NetbenchError(
      'NB_RESULTS_INVALID',
      `${file} is not readable JSON: ${(error as Error).message}`,
    );
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
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
  return parsed.data;
}
