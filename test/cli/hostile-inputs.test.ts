/**
 * The hostile and careless input corpus (issue 16): every command fed bad files and bad flags, as
 * a new user or a hostile file would. Each case asserts the stable error code, the exit code, that
 * the message names the bad value, and that no stack trace leaks. Bombs (alias expansion, deep
 * nesting, 10⁸-trial sweeps, a 50 MB list) are asserted as limits refused, not as timings.
 *
 * Files live under test/fixtures/hostile/; results.json mutations of a real run and the 50 MB
 * list are written to a temporary directory by `prepare`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli-context.js';

const hostile = 'test/fixtures/hostile';
const scenario = (name: string): string => `${hostile}/scenarios/${name}.yaml`;
const policyFile = (name: string): string => `${hostile}/policy/${name}.yaml`;
const model = 'test/fixtures/policy/e2e-model.yaml';
const policies = 'test/fixtures/policy/e2e-policies.yaml';
const runA = 'test/fixtures/results/quick-a';

const tmp = mkdtempSync(join(tmpdir(), 'netbench-hostile-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A copy of a real results.json with one change, in its own directory under `tmp`. */
function mutatedRun(name: string, change: (results: MutableResults) => void): string {
  const results = JSON.parse(readFileSync(`${runA}/results.json`, 'utf8')) as MutableResults;
  change(results);
  const dir = join(tmp, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

interface MutableResults {
  trials: {
    repetitions: {
      latencyUs: Record<string, number>;
      histograms: Record<string, string>;
      achievedRps?: number;
    }[];
  }[];
}

const firstRepetition = (r: MutableResults): MutableResults['trials'][0]['repetitions'][0] =>
  r.trials[0]!.repetitions[0]!;

/** A 50 MB list of rates: refused by the size limit before a byte of it is parsed. */
function fiftyMegabyteList(): string {
  const path = join(tmp, 'list-50mb.yaml');
  const chunk = `${Array.from({ length: 100_000 }, (_, i) => i + 1).join(', ')}, `;
  let text = 'name: big\nmatrix:\n  rate: [';
  while (text.length < 50 * 1024 * 1024) text += chunk;
  writeFileSync(path, `${text}1]\n`);
  return path;
}

interface HostileCase {
  /** What the user did, as a sentence. */
  name: string;
  /** argv, or a function building it (for files written at test time). */
  argv: readonly string[] | (() => readonly string[]);
  code: string;
  exit: number;
  /** Text the output must hold: the bad value, the line, the flag. */
  names: readonly (string | RegExp)[];
  /**
   * The fix belongs to another area's files (named here); the case documents the expected
   * behaviour and is expected to fail until that fix lands.
   */
  pendingFixIn?: string;
}

const scenarioCase = (
  file: string,
  code: string,
  names: readonly (string | RegExp)[],
  name = `validate ${file}`,
): HostileCase => ({ name, argv: ['validate', scenario(file)], code, exit: 3, names });

const invalid = 'NB_SPEC_INVALID';
const yaml = 'NB_SPEC_YAML';
const limit = 'NB_SPEC_YAML_LIMIT';
const tooMany = 'NB_SPEC_TOO_MANY_TRIALS';

const cases: HostileCase[] = [
  // Scenario files: shape and syntax.
  scenarioCase('empty', invalid, ['is empty', 'name:']),
  scenarioCase('only-comments', invalid, ['is empty']),
  scenarioCase('top-list', invalid, ['must be a mapping']),
  scenarioCase('top-scalar', invalid, ['must be a mapping']),
  scenarioCase('two-documents', invalid, ['2 YAML documents', '---']),
  scenarioCase('unknown-key', invalid, [':2:', '"repetitons"', 'did you mean "repetitions"']),
  scenarioCase('duplicate-key', yaml, [
    ':4:',
    'key "repetitions" appears twice',
    'first at line 2',
  ]),
  scenarioCase('unclosed-quote', yaml, ['unclosed-quote.yaml:1:', 'never closed']),
  scenarioCase('tab-indent', yaml, [':3:', 'Tabs']),
  scenarioCase('bad-indent', yaml, [':3:']),
  scenarioCase('undefined-alias', yaml, [':3:', '*nope names no anchor']),
  scenarioCase('invalid-utf8', invalid, [':1:', 'name:']),
  scenarioCase('nul-byte', 'NB_FILE_UNREADABLE', ['not a text file']),
  // Scenario values.
  scenarioCase('name-spaces', invalid, ['"my scenario"', 'letters, digits']),
  scenarioCase('name-too-long', invalid, ['max 63']),
  scenarioCase('name-number', invalid, ['got 123']),
  scenarioCase('name-null', invalid, ['name:', 'got null']),
  scenarioCase('repetitions-zero', invalid, ['repetitions:', 'from 1 to 1000']),
  scenarioCase('repetitions-fraction', invalid, ['1.5', 'whole number']),
  scenarioCase('repetitions-word', invalid, ['"three"']),
  scenarioCase('repetitions-huge', invalid, ['10001', 'from 1 to 1000']),
  scenarioCase('repetitions-inf', invalid, ['.inf is not a usable value']),
  scenarioCase('duration-nan', invalid, [':2:', '.nan is not a usable value']),
  scenarioCase('duration-unit', invalid, ['"10 parsecs"', '"30s"']),
  scenarioCase('duration-48h', invalid, ['"48h"', 'at most 24h']),
  scenarioCase('warmup-negative', invalid, ['"-1s"']),
  scenarioCase('timeout-zero', invalid, ['timeout:', 'at least 1ms']),
  scenarioCase('seed-negative', invalid, ['seed:', '-1']),
  scenarioCase('seed-too-big', invalid, ['2147483648', '2147483647']),
  scenarioCase('seed-word', invalid, ['"abc"']),
  scenarioCase('schema-version-2', invalid, ['schemaVersion', 'one of: 1']),
  scenarioCase('platform-kubernetes', invalid, ['"nodez"', 'did you mean "nodes"']),
  scenarioCase('platform-typo', invalid, ['"lba"', 'did you mean "lab"']),
  scenarioCase('description-list', invalid, ['description', 'a string']),
  scenarioCase('dimension-typo', invalid, ['"datapth"', 'did you mean "datapath"']),
  scenarioCase('datapath-typo', invalid, ['"bridj"', 'did you mean "bridge"']),
  scenarioCase('placement-typo', invalid, ['"crossnode"', 'did you mean "cross-node"']),
  scenarioCase('workload-unknown', invalid, ['"grpc"', 'tcp-rr']),
  scenarioCase('rate-per-second', invalid, ['"1k/s"', 'did you mean "1k"']),
  scenarioCase('rate-1e12', invalid, ['1000000000000', '10,000,000']),
  scenarioCase('rate-negative', invalid, ['rate -5']),
  scenarioCase('rate-zero', invalid, ['rate 0']),
  scenarioCase('bitrate-2tbit', invalid, ['"2Tbit"']),
  scenarioCase('bitrate-words', invalid, ['"fast"', '"100Mbit"']),
  scenarioCase('load-typo', invalid, ['"hihg"', 'did you mean "high"']),
  scenarioCase('load-150-percent', invalid, ['"150%"', '100%']),
  scenarioCase('payload-huge', invalid, ['"1GiB"']),
  scenarioCase('streams-zero', invalid, ['matrix.streams', '>=1']),
  scenarioCase('threads-100', invalid, ['100', '<=64']),
  scenarioCase('connections-zero', invalid, ['matrix.connections', '>=1']),
  scenarioCase('connections-100k', invalid, ['100000', '<=10000']),
  scenarioCase('services-negative', invalid, ['-1', 'whole number']),
  scenarioCase('services-million', invalid, ['"1000k"', '100000']),
  scenarioCase('policy-scale-zero', invalid, ['"scale-0"', 'from 1 to 100000']),
  scenarioCase('policy-scale-huge', invalid, ['"scale-1000k"']),
  scenarioCase('policy-typo', invalid, ['"default-deny"', 'default-deny-allow']),
  scenarioCase('mtu-100', invalid, ['lab.mtu', '>=576']),
  scenarioCase('lab-unknown-key', invalid, ['"nodes"', 'mtu']),
  scenarioCase('matrix-empty-list', invalid, ['matrix.rate', '>=1 items']),
  scenarioCase('matrix-null', invalid, ['matrix', 'mapping']),
  scenarioCase('matrix-list', invalid, ['matrix', 'mapping']),
  scenarioCase('exclude-not-list', invalid, ['exclude', 'a list']),
  scenarioCase('include-unknown-dimension', invalid, ['include[0].datapth', 'did you mean']),
  scenarioCase('threshold-incomplete', invalid, ['"p99 <"', 'p99 < 5ms']),
  scenarioCase('threshold-unknown-figure', invalid, ['"p98"']),
  scenarioCase('threshold-no-unit', invalid, ['"5" has no unit', '"5ms"']),
  scenarioCase('overhead-without-baseline', invalid, ['thresholds[0]', 'baseline']),
  scenarioCase('baseline-not-in-matrix', invalid, ['"routed"', 'matrix.datapath']),
  // Contradictions and dimensions that do not apply.
  scenarioCase('load-high-rate-500', invalid, [':4:', 'rate 500', 'load: fixed']),
  scenarioCase('stream-with-rate', invalid, ['rate 500', 'http, tcp-rr, tcp-crr and graph']),
  scenarioCase('stream-with-connections', invalid, [
    'connections [1,8]',
    'http, tcp-crr and graph',
  ]),
  scenarioCase('mtls-without-mesh', invalid, ['mtls "off"', 'mesh']),
  scenarioCase('enforcer-without-policy', invalid, ['enforcer "nftables"', 'policy']),
  // Bombs and limits: refused before the work, with the line.
  scenarioCase('alias-bomb', limit, [':7:', 'alias', '1,000,000']),
  scenarioCase('deep-flow', limit, [':3:', 'nested too deep']),
  scenarioCase('deep-block', limit, [':4:', 'nested too deep']),
  scenarioCase('nested-100', limit, [':2:', 'more than 64 levels']),
  scenarioCase('sweep-1e8', tooMany, ['100,000,000 trials', 'matrix.rate', ':6:']),
  { ...scenarioCase('sweep-1e8', tooMany, ['100,000,000']), name: 'plan a 10⁸-trial sweep' },
  { ...scenarioCase('sweep-1e8', tooMany, ['100,000,000']), name: 'run a 10⁸-trial sweep' },
  scenarioCase('list-20k', tooMany, ['20,000 trials', 'rate lists 20,000 values']),
  scenarioCase('repetitions-times-trials', tooMany, ['200,000 repetitions', '200 trials × 1000']),
  scenarioCase('include-1001', tooMany, ['1001 include cells', '1000']),
  {
    name: 'validate a 50 MB list of rates',
    argv: () => ['validate', fiftyMegabyteList()],
    code: 'NB_INPUT_TOO_LARGE',
    exit: 3,
    names: ['larger than 256 KiB'],
  },
  {
    name: 'validate a directory',
    argv: ['validate', hostile],
    code: 'NB_FILE_UNREADABLE',
    exit: 3,
    names: ['it is a directory'],
  },
  {
    name: 'validate a file that does not exist',
    argv: ['validate', 'no-such.yaml'],
    code: 'NB_FILE_NOT_FOUND',
    exit: 3,
    names: ['no-such.yaml'],
  },
  // Flags: one table, commander's errors coded.
  flagCase(['plan', '--seed', 'abc', 'examples/quick.yaml'], 'NB_USAGE_BAD_FLAG', [
    '"abc"',
    '0 to 2147483647',
  ]),
  flagCase(['plan', '--seed', '-1', 'examples/quick.yaml'], 'NB_USAGE_BAD_FLAG', ['"-1"']),
  flagCase(['plan', '--seed', '1e3', 'examples/quick.yaml'], 'NB_USAGE_BAD_FLAG', ['"1e3"']),
  flagCase(['plan', '--seed', '2147483648'], 'NB_USAGE_BAD_FLAG', ['"2147483648"']),
  flagCase(['run', '--seed', 'abc'], 'NB_USAGE_BAD_FLAG', ['--seed "abc"']),
  flagCase(['run', '--repetitions', '0'], 'NB_USAGE_BAD_FLAG', ['--repetitions "0"', '1 to 1000']),
  flagCase(['run', '--duration', '5parsecs'], 'NB_USAGE_BAD_FLAG', ['--duration "5parsecs"']),
  flagCase(['plan', '--sed', '3'], 'NB_USAGE_UNKNOWN_FLAG', ["'--sed'", 'did you mean --seed']),
  flagCase(['validate', '--jsn', 'x.yaml'], 'NB_USAGE_UNKNOWN_FLAG', ["'--jsn'", '--json']),
  flagCase(['plnn'], 'NB_USAGE_UNKNOWN_COMMAND', ["'plnn'", 'did you mean plan']),
  flagCase(['plan', '--seed'], 'NB_USAGE_MISSING_ARGUMENT', ['--seed']),
  flagCase(['report'], 'NB_USAGE_MISSING_ARGUMENT', ["'dir'", 'netbench report --help']),
  flagCase(['compare', runA], 'NB_USAGE_MISSING_ARGUMENT', ["'b'"]),
  flagCase(['validate', 'a.yaml', 'b.yaml'], 'NB_USAGE_EXCESS_ARGUMENTS', ['netbench validate']),
  flagCase(['policy', 'verify', '--model', model], 'NB_USAGE_MISSING_ARGUMENT', ['--policies']),
  flagCase(['report', runA, '--level', '95'], 'NB_USAGE_BAD_FLAG', ['--level "95"', '0.5']),
  flagCase(['report', runA, '--iterations', '5'], 'NB_USAGE_BAD_FLAG', [
    '--iterations "5"',
    '100 to 1000000',
  ]),
  flagCase(['report', runA, '--format', 'pdf'], 'NB_USAGE_BAD_FLAG', ['--format "pdf"', 'html']),
  flagCase(['report', runA, '--level', '2', '--iterations', '5'], 'NB_USAGE_BAD_FLAG', [
    '2 flags',
    '--level "2"',
    '--iterations "5"',
  ]),
  flagCase(['lab', 'up', '--datapath', 'bridj'], 'NB_USAGE_BAD_FLAG', [
    '"bridj"',
    'did you mean "bridge"',
  ]),
  flagCase(['compare', runA, runA, '-t', 'change.p99 < 5ms'], 'NB_USAGE_BAD_FLAG', [
    '"5ms"',
    'relative change',
    '"10%"',
  ]),
  flagCase(['compare', runA, runA, '-t', 'chnage.p99 < 5%'], 'NB_USAGE_BAD_FLAG', ['chnage']),
  // results.json read defensively.
  resultsCase('empty-object', ['no schemaVersion']),
  resultsCase('array', ['no schemaVersion']),
  resultsCase('not-json', ['not readable JSON']),
  resultsCase('truncated', ['not readable JSON']),
  resultsCase('version-99', ['schemaVersion 99']),
  resultsCase('no-trials', ['does not match the results schema']),
  {
    name: 'report a results.json whose p99 is -5',
    argv: () => [
      'report',
      mutatedRun('p99-negative', (r) => (firstRepetition(r).latencyUs.p99 = -5)),
      '-f',
      'csv',
    ],
    code: 'NB_RESULTS_INVALID',
    exit: 3,
    names: ['p99 -5 is negative', 'trial "'],
  },
  {
    name: 'report a results.json whose p50 is above its p99',
    argv: () => [
      'report',
      mutatedRun('p50-above-p99', (r) => (firstRepetition(r).latencyUs.p50 = 1e9)),
      '-f',
      'csv',
    ],
    code: 'NB_RESULTS_INVALID',
    exit: 3,
    names: ['p50 1000000000 is above p90'],
  },
  {
    name: 'report a results.json whose achieved rate is negative',
    argv: () => [
      'report',
      mutatedRun('rps-negative', (r) => (firstRepetition(r).achievedRps = -1)),
      '-f',
      'csv',
    ],
    code: 'NB_RESULTS_INVALID',
    exit: 3,
    names: ['achievedRps -1 is negative'],
  },
  {
    name: 'report a results.json with a corrupt histogram',
    argv: () => [
      'report',
      mutatedRun('corrupt-histogram', (r) => {
        const h = firstRepetition(r).histograms;
        for (const k of Object.keys(h)) h[k] = 'HISTFAAAA' + 'x'.repeat(41);
      }),
      '-f',
      'csv',
    ],
    code: 'NB_RESULTS_INVALID',
    exit: 3,
    names: ['histogram does not decode', 'trial "'],
  },
  {
    name: 'compare against a corrupt run',
    argv: () => ['compare', runA, `${hostile}/results/empty-object`],
    code: 'NB_RESULTS_INVALID',
    exit: 3,
    names: ['no schemaVersion'],
  },
  {
    name: 'report a directory with no results',
    argv: ['report', 'no-such-run'],
    code: 'NB_FILE_NOT_FOUND',
    exit: 3,
    names: ['no-such-run'],
  },
  // Policy inputs (evaluate, lint).
  policyCase('evaluate', 'policies-not-yaml', yaml, [':1:']),
  policyCase('evaluate', 'policies-alias-bomb', limit, [':6:', 'alias']),
  policyCase('lint', 'policies-deep', limit, [':2:', 'nested too deep']),
  policyCase('lint', 'policy-unknown-kind', 'NB_POLICY_INVALID', ['"Pod"', 'NetworkPolicy']),
  policyCase('lint', 'policy-duplicate-key', yaml, [':6:', 'key "podSelector" appears twice']),
  policyCase('lint', 'policy-bad-cidr', 'NB_POLICY_INVALID', ['"10.0.0.0/33"', '0 to 32']),
  modelCase('model-alias-bomb', limit, [':7:', 'alias']),
  modelCase('model-duplicate-pod', 'NB_POLICY_MODEL_INVALID', ['x/a is listed twice']),
  modelCase('model-empty', 'NB_POLICY_MODEL_INVALID', ['is empty']),
  {
    ...modelCase('model-many-problems', 'NB_POLICY_MODEL_INVALID', [
      'has 4 problems',
      'ns',
      'nowhere',
      '10.0.0.300',
      '70000',
    ]),
  },
  flagCase(
    ['policy', 'evaluate', '--model', model, '--policies', policies, '--ports', '0'],
    'NB_USAGE_BAD_FLAG',
    ['"0"', '1 to 65535'],
  ),
  flagCase(
    ['policy', 'evaluate', '--model', model, '--policies', policies, '--protocols', 'ICMP'],
    'NB_USAGE_BAD_FLAG',
    ['"ICMP"', 'TCP'],
  ),
  {
    name: 'policy evaluate a policies file that does not exist',
    argv: ['policy', 'evaluate', '--model', model, '--policies', 'nope.yaml'],
    code: 'NB_FILE_NOT_FOUND',
    exit: 3,
    names: ['nope.yaml'],
  },
  {
    name: 'policy evaluate an empty policies file',
    argv: ['policy', 'evaluate', '--model', model, '--policies', policyFile('empty-policies')],
    code: '',
    exit: 0,
    names: [/warning: .*no NetworkPolic/i],
  },
  {
    name: 'policy lint a named port that exists on no pod',
    argv: [
      'policy',
      'lint',
      '--model',
      model,
      '--policies',
      policyFile('policy-named-port-on-no-pod'),
    ],
    code: '',
    exit: 0,
    names: ['serve-9999-tcp'],
  },
];

function flagCase(
  argv: readonly string[],
  code: string,
  names: readonly (string | RegExp)[],
): HostileCase {
  return { name: argv.join(' '), argv, code, exit: 2, names };
}

function resultsCase(dir: string, names: readonly string[]): HostileCase {
  return {
    name: `report a results.json that is ${dir}`,
    argv: ['report', `${hostile}/results/${dir}`, '-f', 'csv'],
    code: 'NB_RESULTS_INVALID',
    exit: 3,
    names,
  };
}

function policyCase(
  command: 'evaluate' | 'lint',
  file: string,
  code: string,
  names: readonly (string | RegExp)[],
): HostileCase {
  return {
    name: `policy ${command} ${file}`,
    argv: [
      'policy',
      command,
      ...(command === 'evaluate' ? ['--model', model] : []),
      '--policies',
      policyFile(file),
    ],
    code,
    exit: 3,
    names,
  };
}

function modelCase(file: string, code: string, names: readonly (string | RegExp)[]): HostileCase {
  return {
    name: `policy evaluate with the model ${file}`,
    argv: ['policy', 'evaluate', '--model', policyFile(file), '--policies', policies],
    code,
    exit: 3,
    names,
  };
}

// The plan and run variants of the sweep case run those commands.
for (const c of cases) {
  if (c.name === 'plan a 10⁸-trial sweep') c.argv = ['plan', scenario('sweep-1e8')];
  if (c.name === 'run a 10⁸-trial sweep') c.argv = ['run', scenario('sweep-1e8')];
}

describe('hostile and careless input', () => {
  it('the corpus holds at least 100 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(100);
  });

  for (const c of cases) {
    const test = c.pendingFixIn === undefined ? it : it.fails;
    test(`${c.name}: ${c.code === '' ? 'says so' : c.code}, exit ${c.exit}, the value named, no stack trace`, async () => {
      const argv = typeof c.argv === 'function' ? c.argv() : c.argv;
      const r = await cli(argv);
      const output = `${r.stderr}\n${r.stdout}`;
      expect(r.exitCode).toBe(c.exit);
      if (c.code !== '') expect(r.stderr).toContain(`error ${c.code}:`);
      for (const n of c.names) {
        if (typeof n === 'string') expect(output).toContain(n);
        else expect(output).toMatch(n);
      }
      expect(output).not.toMatch(/\n\s+at .+:\d+:\d+\)?\n/);
      expect(output).not.toContain('NB_INTERNAL');
    });
  }
});
