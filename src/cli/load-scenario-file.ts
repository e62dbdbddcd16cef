/** Reading a scenario from a path (or the built-in default) with friendly file errors. */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { NetbenchError } from '../core/errors.js';
import { defaultScenarioName, defaultScenarioYaml } from '../spec/default-scenario.js';
import { parseScenario } from '../spec/load-scenario.js';
import type { Scenario } from '../spec/scenario-schema.js';

export interface LoadedScenario {
  scenario: Scenario;
  /** The path as given, or the built-in default's name. */
  source: string;
}

export async function readTextFile(path: string, cwd: string, what: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, path), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new NetbenchError('NB_FILE_NOT_FOUND', `${what} ${path} does not exist`, {
        hint: `check the path (relative to ${cwd}); examples are in examples/`,
      });
    }
    throw new NetbenchError(
      'NB_FILE_UNREADABLE',
      `cannot read ${what} ${path}: ${code ?? String(error)}`,
    );
  }
}

export async function loadScenarioFile(
  path: string | undefined,
  cwd: string,
): Promise<LoadedScenario> {
  if (path === undefined) {
    return {
      scenario: parseScenario(defaultScenarioYaml, defaultScenarioName),
      source: defaultScenarioName,
    };
  }
  const text = await readTextFile(path, cwd, 'scenario');
  return { scenario: parseScenario(text, path), source: path };
}
