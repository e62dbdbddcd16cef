import { Linter } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import netbench, { partOf } from '../../../eslint-rules/layering.js';

const repoRoot = new URL('../../../', import.meta.url).pathname;

function lint(file: string, code: string): string[] {
  const linter = new Linter({ cwd: repoRoot });
  return linter
    .verify(
      code,
      {
        files: ['**/*.ts'],
        languageOptions: { sourceType: 'module' },
        plugins: { netbench },
        rules: { 'netbench/layering': 'error' },
      },
      { filename: join(repoRoot, file) },
    )
    .map((m) => m.message);
}

describe('the layering rule', () => {
  it('fails an import that runs back up, naming both parts and the documented rule', () => {
    const messages = lint('src/stats/mean.ts', "import { runCli } from '../cli/program.js';\n");
    expect(messages).toHaveLength(1);
    expect(messages[0]).toContain('stats/ (layer 2) must not import cli/ (layer 11)');
    expect(messages[0]).toContain('docs/architecture.md');
  });

  it('fails an import sideways between two parts on one layer', () => {
    const messages = lint('src/results/x.ts', "import { mean } from '../stats/descriptive.js';\n");
    expect(messages[0]).toContain('results/ (layer 2) must not import stats/ (layer 2)');
  });

  it('allows imports within a part and down the layers', () => {
    expect(
      lint(
        'src/analysis/x.ts',
        [
          "import { a } from './analyze.js';",
          "import { b } from '../results/schema.js';",
          "import { c } from '../core/errors.js';",
          "import { z } from 'zod';",
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('tells the port of the platform from its implementations', () => {
    expect(lint('src/mesh/x.ts', "import { A } from '../platform/platform.js';\n")).toEqual([]);
    expect(lint('src/mesh/x.ts', "import { b } from '../platform/lab/lab-platform.js';\n")).toEqual(
      [expect.stringContaining('mesh/ (layer 6) must not import platform/lab/ (layer 8)')],
    );
  });

  it('asks for a new folder to be placed in the table', () => {
    expect(partOf('newthing/x.ts')).toBeUndefined();
    expect(lint('src/newthing/x.ts', "import { a } from '../core/errors.js';\n")[0]).toContain(
      'is in no part of the layering table',
    );
  });
});
