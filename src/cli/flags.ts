/**
 * Every command-line flag, declared once: its syntax, its help text, its default (written here
 * only, and shown in `--help` from here) and the parser that turns the typed-in string into a
 * typed value. Commands pick flags from this table (`commandFlags`); program.ts builds commander's
 * options from it, and each command's flag type is derived from it, so a flag cannot mean one
 * thing in `run` and drift to another in `plan`.
 */
import { NetbenchError } from '../core/errors.js';
import { parseDuration, type Seconds } from '../core/units.js';
import { datapathNames, kubeProxyModes, placementNames } from '../spec/dimensions.js';
import { suggestionHint } from '../spec/suggest.js';

/** The report formats `report --format` knows. */
export const reportFormats = ['html', 'md', 'csv', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

/** One flag: what commander needs, what help says, and how its value is parsed. */
export interface Flag<T> {
  /** commander's syntax: `-o, --out <dir>` for a value, `--json` for a switch. */
  readonly syntax: string;
  /** Help text, without the default (that is appended from `defaultText`). */
  readonly description: string;
  /** The value when the flag is absent; the command then always sees a value. */
  readonly default?: T;
  /** How help shows a default that is not a plain value (`the scenario's seed, else random`). */
  readonly defaultText?: string;
  /** Turns the typed-in text into the value; throws `NB_USAGE_BAD_FLAG` naming the flag. */
  readonly parse: (raw: string, name: string) => T;
  /** The flag may be given many times; the value is the list. */
  readonly repeatable?: boolean;
  /** commander refuses the command without it. */
  readonly required?: boolean;
  /** Takes any number of values after it (`--explain [pods...]`): the list, or `true` alone. */
  readonly variadic?: boolean;
}

/** A flag that takes no value: present is `true`. */
function switchFlag(syntax: string, description: string): Flag<boolean> {
  return { syntax, description, parse: () => true };
}

/** What a constructor passes through unchanged, typed as given (so `required: true` stays literal). */
interface FlagExtra<T> {
  default?: T;
  defaultText?: string;
  required?: boolean;
}

function textFlag<E extends FlagExtra<string>>(
  syntax: string,
  description: string,
  extra: E = {} as E,
): Flag<string> & E {
  return { syntax, description, parse: (raw: string) => raw, ...extra };
}

function badFlag(name: string, raw: string, what: string, hint: string): NetbenchError {
  return new NetbenchError('NB_USAGE_BAD_FLAG', `${name} ${JSON.stringify(raw)} is not ${what}`, {
    hint,
  });
}

/** A whole number in [min, max], written in plain digits (no `1e3`, no `0x10`, no sign). */
function integerFlag<E extends FlagExtra<number>>(
  syntax: string,
  description: string,
  range: { min: number; max: number; example: number },
  extra: E = {} as E,
): Flag<number> & E {
  return {
    syntax,
    description,
    ...extra,
    parse: (raw: string, name: string) => {
      const n = /^\s*\d+\s*$/.test(raw) ? Number(raw) : Number.NaN;
      if (!Number.isSafeInteger(n) || n < range.min || n > range.max) {
        throw badFlag(
          name,
          raw,
          `a whole number from ${range.min} to ${range.max}`,
          `e.g. ${name} ${range.example}`,
        );
      }
      return n;
    },
  };
}

function durationFlag(syntax: string, description: string): Flag<Seconds> {
  return {
    syntax,
    description,
    parse: (raw, name) => {
      const parsed = parseDuration(raw);
      if (!parsed.ok) throw badFlag(name, raw, 'a duration', parsed.hint);
      return parsed.value;
    },
  };
}

function choiceFlag<T extends string, E extends FlagExtra<T>>(
  syntax: string,
  description: string,
  choices: readonly T[],
  extra: E = {} as E,
): Flag<T> & E {
  return {
    syntax,
    description: `${description}: ${choices.join(', ')}`,
    ...extra,
    parse: (raw: string, name: string) => {
      if ((choices as readonly string[]).includes(raw)) return raw as T;
      throw badFlag(name, raw, `one of ${choices.join(', ')}`, suggestionHint(raw, choices));
    },
  };
}

/** `0.95` or `95%`, from 0.5 up to (not including) 1. */
function levelFlag(
  syntax: string,
  description: string,
  defaultLevel: number,
): Flag<number> & { default: number } {
  return {
    syntax,
    description,
    default: defaultLevel,
    parse: (raw, name) => {
      const text = raw.trim();
      const n = text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
      if (!(n >= 0.5 && n < 1)) {
        throw badFlag(
          name,
          raw,
          'a confidence level from 0.5 to below 1',
          `e.g. ${name} 0.95 (or 95%), ${name} 0.99`,
        );
      }
      return n;
    },
  };
}

/** The largest seed a scenario file accepts (`seed:` in the scenario schema). */
const maxSeed = 2 ** 31 - 1;

/** Policy evaluate/lint/verify flags that mean the same in each. */
const namespaceFlag = textFlag(
  '-n, --namespace <ns>',
  'namespace of policies without metadata.namespace',
  { defaultText: '"default"' },
);

/** The table: every flag of every command, once. Keys are the names commands read. */
export const flags = {
  verbose: switchFlag('-v, --verbose', 'print debug detail (and stack traces of internal errors)'),
  json: switchFlag('--json', 'print the result as JSON on stdout'),
  quiet: switchFlag('-q, --quiet', 'no progress or summary on stderr'),
  seed: integerFlag(
    '--seed <n>',
    'seed of the randomised repetition order',
    { min: 0, max: maxSeed, example: 42 },
    { defaultText: 'the scenario seed, else random' },
  ),
  repetitions: integerFlag('--repetitions <n>', 'override the scenario repetitions', {
    min: 1,
    max: 1000,
    example: 3,
  }),
  duration: durationFlag(
    '--duration <time>',
    'override the measured duration of each repetition, e.g. 5s',
  ),
  warmup: durationFlag('--warmup <time>', 'override the warm-up of each repetition, e.g. 1s'),
  runOut: textFlag('-o, --out <dir>', 'results directory (env NETBENCH_OUT)', {
    defaultText: 'results/<name>-<run id>',
  }),
  reportOut: textFlag(
    '-o, --out <file>',
    'write to this file, "-" for stdout; md also writes <name>-charts/',
    { defaultText: 'stdout' },
  ),
  format: choiceFlag('-f, --format <format>', 'report format', reportFormats, {
    defaultText: 'from --out, else html',
  }),
  level: levelFlag('--level <fraction>', 'confidence level of every interval', 0.95),
  iterations: integerFlag(
    '--iterations <n>',
    'bootstrap resamples per figure',
    { min: 100, max: 1_000_000, example: 2000 },
    { default: 2000 },
  ),
  threshold: {
    ...textFlag('-t, --threshold <expr>', 'fail (exit 5) when crossed, e.g. "change.p99 < 10%"'),
    repeatable: true as const,
  },
  significantOnly: switchFlag(
    '--significant-only',
    'a crossing fails only when the change is significant',
  ),
  labDatapath: choiceFlag('--datapath <name>', 'pod datapath', datapathNames, {
    defaultText: 'bridge',
  }),
  placement: choiceFlag('--placement <where>', 'where the pods run', placementNames, {
    defaultText: 'same-node',
  }),
  services: textFlag('--services <count>', 'unrelated ClusterIP Services to program, e.g. 1k', {
    defaultText: '0',
  }),
  kubeProxy: choiceFlag('--kube-proxy <mode>', 'Service datapath', kubeProxyModes, {
    defaultText: 'iptables',
  }),
  bandwidth: textFlag(
    '--bandwidth <rate>',
    'per-pod limit through the CNI bandwidth plugin, e.g. 100Mbit',
  ),
  run: textFlag('--run <id>', 'remove only this run'),
  force: switchFlag('--force', 'also remove runs whose netbench process is still running'),
  model: textFlag(
    '--model <file>',
    'cluster model YAML: namespaces and pods with labels, ips, ports',
  ),
  policies: textFlag(
    '--policies <file>',
    'NetworkPolicy manifests: one or many documents, or a List',
  ),
  ports: textFlag('--ports <list>', 'probe these ports on every pod, e.g. 80,81', {
    defaultText: "each pod's declared ports",
  }),
  protocols: textFlag('--protocols <list>', 'only these protocols, e.g. TCP,UDP', {
    defaultText: 'TCP,UDP,SCTP',
  }),
  namespace: namespaceFlag,
  explain: switchFlag('--explain', 'print the reason of every verdict after the tables'),
  cni: textFlag(
    '--cni <name>',
    'the cluster CNI (e.g. flannel, calico): flags CNIs that ignore policies',
  ),
  podCidr: textFlag(
    '--pod-cidr <list>',
    'pod address ranges, e.g. 10.244.0.0/16: flags ipBlocks matching pods',
  ),
  strict: switchFlag('--strict', 'fail (exit 5) on warnings too, not only on errors'),
  enforcer: textFlag(
    '--enforcer <name>',
    'iptables, nftables, or none to enforce nothing as a CNI without policy support',
    { defaultText: 'iptables' },
  ),
  verifyDatapath: textFlag('--datapath <name>', 'bridge (one node), vxlan or routed (two nodes)', {
    defaultText: 'routed',
  }),
  timeout: textFlag('--timeout <time>', 'how long a probe waits for an answer', {
    defaultText: '1s',
  }),
  kubeconfig: textFlag('--kubeconfig <file>', 'kubeconfig of the cluster to check', {
    defaultText: '$KUBECONFIG, else ~/.kube/config',
  }),
  context: textFlag('--context <name>', 'kubeconfig context to check', {
    defaultText: 'the current context',
  }),
  agentConfig: textFlag('--config <json>', 'agent configuration as JSON', {
    required: true as const,
  }),
  fromFile: textFlag(
    '--from-file <file>',
    'a kubectl dump: kubectl get ns,pods,networkpolicies -A -o yaml',
  ),
  fromFileNew: textFlag(
    '--from-file-new <file>',
    'a second kubectl dump: the cluster after the change',
  ),
  fromCluster: switchFlag(
    '--from-cluster',
    "read namespaces, pods and NetworkPolicies from the kubeconfig's cluster",
  ),
  policiesNew: textFlag('--policies-new <file>', 'the new NetworkPolicy manifests'),
  allowOpening: switchFlag('--allow-opening', 'exit 0 even when the change opens connections'),
  evaluateFormat: textFlag(
    '--format <format>',
    'text (summary, then truth tables), json, ndjson (one verdict per line), matrix, summary (JSON)',
    { defaultText: 'text' },
  ),
  diffFormat: textFlag('--format <format>', 'text, json, or ndjson (one change per line)', {
    defaultText: 'text',
  }),
  explainPair: {
    syntax: '--explain [pods...]',
    description: 'the reason of every verdict, or with FROM TO (namespace/name) of that pair only',
    parse: () => true,
    variadic: true,
  } as Flag<true | string[]>,
  requirements: textFlag(
    '--requirements <file>',
    'requirements YAML: the HTML report gains a Recommendation section',
  ),
  metricsPort: textFlag(
    '--metrics-port <port>',
    'serve live Prometheus metrics on 127.0.0.1:<port>/metrics during the run (0: a free port)',
  ),
  capture: switchFlag(
    '--capture',
    'record a pcap of the client pod per repetition (tcpdump: first 30 s, at most 10000 packets of 128 bytes) in <out>/captures/',
  ),
  platform: textFlag('--platform <name>', 'lab or kubernetes', {
    defaultText: "the scenario's, else lab",
  }),
  nodes: textFlag('--nodes <a,b>', 'kubernetes: cluster nodes for node1 and node2', {
    defaultText: 'picked: Ready, schedulable, untainted, one zone',
  }),
  image: textFlag('--image <ref>', 'kubernetes: agent image, pinned by digest', {
    defaultText: 'node:20-bookworm-slim@sha256:…',
  }),
  registry: textFlag(
    '--registry <host>',
    'kubernetes: pull every image from this registry (a mirror)',
  ),
  toolsImage: textFlag(
    '--tools-image <ref>',
    'kubernetes: image with sockperf, iperf3 and ss, pinned by digest',
  ),
  imagePullSecret: {
    ...textFlag('--image-pull-secret <name>', 'kubernetes: pull secret in the run namespace'),
    repeatable: true as const,
  },
  manifests: textFlag(
    '--manifests <dir>',
    'kubernetes: write every object the run would create, one YAML per topology',
  ),
  fileOut: textFlag('-o, --out <file>', 'write to this file', { defaultText: 'stdout' }),
  adviseFormat: textFlag('-f, --format <format>', 'md, html or json', {
    defaultText: 'from --out, else md',
  }),
  exportFormat: textFlag('-f, --format <format>', 'openmetrics or prometheus (text format 0.0.4)', {
    defaultText: 'openmetrics',
  }),
  push: textFlag(
    '--push <url>',
    'push to this Pushgateway, grouped by run id, e.g. http://127.0.0.1:9091',
  ),
  job: textFlag('--job <name>', 'job label of the push', { defaultText: 'netbench' }),
  dashboardsOut: textFlag(
    '-o, --out <dir>',
    'directory for the dashboard JSON files (<uid>.json)',
    {
      required: true as const,
    },
  ),
  rules: textFlag(
    '--rules <file>',
    'also write every panel expression as a Prometheus rules file (for promtool check rules)',
  ),
} satisfies Record<string, Flag<unknown>>;

/** Where a run or plan happens: the platform and, for kubernetes, how to reach the cluster. */
const platformFlags = {
  platform: flags.platform,
  kubeconfig: use(flags.kubeconfig, { description: 'kubernetes: kubeconfig file' }),
  context: use(flags.context, { description: 'kubernetes: kubeconfig context' }),
  nodes: flags.nodes,
  image: flags.image,
  registry: flags.registry,
  toolsImage: flags.toolsImage,
  imagePullSecret: flags.imagePullSecret,
};

/** Where the policy commands read a cluster from instead of a model file. */
const clusterInput = {
  fromFile: flags.fromFile,
  fromCluster: flags.fromCluster,
  kubeconfig: use(flags.kubeconfig, {
    description: 'kubeconfig for --from-cluster',
  }),
  context: use(flags.context, { description: 'kubeconfig context for --from-cluster' }),
};

/** How `cluster status|down` reach the cluster. */
const clusterAccess = {
  kubeconfig: use(flags.kubeconfig, { description: 'kubeconfig file' }),
  context: use(flags.context, { description: 'kubeconfig context' }),
};

/** The flag as one command uses it: its own help text or requiredness, same syntax and parser. */
export function use<F extends Flag<unknown>, O extends { description?: string; required?: true }>(
  flag: F,
  override: O,
): Omit<F, keyof O> & O {
  return { ...flag, ...override };
}

type FlagSet = Readonly<Record<string, Flag<unknown>>>;
type ValueOf<F> = F extends Flag<infer T> ? T : never;
type Defaulted<F> = F extends { default: unknown } | { required: true } | { repeatable: true }
  ? true
  : false;

/**
 * The typed values a command receives for its flag set: flags with a default (or required,
 * or repeatable) always have a value; the others are absent when not given.
 */
export type FlagValues<S extends FlagSet> = {
  -readonly [K in keyof S as Defaulted<S[K]> extends true ? K : never]: S[K] extends {
    repeatable: true;
  }
    ? ValueOf<S[K]>[]
    : ValueOf<S[K]>;
} & {
  -readonly [K in keyof S as Defaulted<S[K]> extends true ? never : K]?: ValueOf<S[K]>;
};

/** The two inputs of policy evaluate and verify, both required. */
const policyInputs = {
  model: use(flags.model, { required: true }),
  policies: use(flags.policies, { required: true }),
};

/** Each command's flags, picked from the table (order = order in `--help`). */
export const commandFlags = {
  run: {
    out: flags.runOut,
    seed: flags.seed,
    repetitions: flags.repetitions,
    duration: flags.duration,
    warmup: flags.warmup,
    quiet: flags.quiet,
    json: use(flags.json, {
      description: 'print the run id, status and results path as JSON on stdout',
    }),
    requirements: flags.requirements,
    metricsPort: flags.metricsPort,
    capture: flags.capture,
    ...platformFlags,
  },
  validate: {
    json: use(flags.json, { description: 'print the verdict and problems as JSON on stdout' }),
  },
  plan: {
    seed: flags.seed,
    json: use(flags.json, { description: 'print the plan as JSON' }),
    manifests: flags.manifests,
    ...platformFlags,
  },
  report: {
    format: flags.format,
    out: flags.reportOut,
    level: flags.level,
    iterations: flags.iterations,
    requirements: flags.requirements,
  },
  compare: {
    threshold: flags.threshold,
    significantOnly: flags.significantOnly,
    level: flags.level,
    iterations: flags.iterations,
    json: use(flags.json, { description: 'print the comparison as JSON' }),
  },
  labUp: {
    datapath: flags.labDatapath,
    placement: flags.placement,
    services: flags.services,
    kubeProxy: flags.kubeProxy,
    bandwidth: flags.bandwidth,
    json: use(flags.json, { description: 'print the lab as JSON' }),
  },
  labDown: {
    run: flags.run,
    force: flags.force,
    json: use(flags.json, { description: 'print what was removed as JSON' }),
  },
  labStatus: { json: flags.json },
  policyEvaluate: {
    model: flags.model,
    policies: use(flags.policies, {
      description:
        'NetworkPolicy manifests: one or many documents, or a List (with --from-file/--from-cluster: instead of theirs)',
    }),
    ports: flags.ports,
    protocols: flags.protocols,
    namespace: flags.namespace,
    explain: flags.explainPair,
    json: use(flags.json, {
      description: 'print {"verdicts":[{from,to,port,protocol,allowed,self?,reason}]}',
    }),
    format: flags.evaluateFormat,
    ...clusterInput,
  },
  policyLint: {
    policies: use(flags.policies, { description: 'NetworkPolicy manifests' }),
    model: use(flags.model, { description: 'cluster model YAML, for checks that need pods' }),
    ...clusterInput,
    cni: flags.cni,
    podCidr: flags.podCidr,
    namespace: flags.namespace,
    strict: flags.strict,
    json: use(flags.json, { description: 'print the findings as JSON' }),
  },
  policyVerify: {
    ...policyInputs,
    enforcer: flags.enforcer,
    datapath: flags.verifyDatapath,
    ports: flags.ports,
    protocols: flags.protocols,
    timeout: flags.timeout,
    namespace: flags.namespace,
    json: use(flags.json, {
      description: 'print every probe with expected and observed as JSON',
    }),
  },
  policyDiff: {
    policies: use(flags.policies, { description: 'the old NetworkPolicy manifests' }),
    policiesNew: flags.policiesNew,
    model: use(flags.model, { description: 'cluster model YAML' }),
    fromFile: use(flags.fromFile, {
      description: 'a kubectl dump (the old one when --from-file-new is given)',
    }),
    fromFileNew: flags.fromFileNew,
    fromCluster: use(flags.fromCluster, {
      description: 'read the cluster (and its policies, the old ones) from the kubeconfig',
    }),
    kubeconfig: clusterInput.kubeconfig,
    context: clusterInput.context,
    ports: flags.ports,
    protocols: flags.protocols,
    namespace: flags.namespace,
    allowOpening: flags.allowOpening,
    explain: use(flags.explain, {
      description: 'say why each change happens (the old and the new reason)',
    }),
    json: use(flags.json, {
      description: 'print {"summary":…,"changes":[{change,from,to,port,protocol,before,after}]}',
    }),
    format: flags.diffFormat,
  },
  agent: { config: flags.agentConfig },
  advise: {
    requirements: use(flags.requirements, {
      description: 'requirements YAML (see docs/advisor.md)',
      required: true,
    }),
    json: use(flags.json, {
      description: 'print {recommendations, warnings, costModel, runs} as JSON',
    }),
    format: flags.adviseFormat,
    out: flags.fileOut,
  },
  export: {
    format: flags.exportFormat,
    out: flags.fileOut,
    push: flags.push,
    job: flags.job,
  },
  dashboards: {
    out: flags.dashboardsOut,
    rules: flags.rules,
    json: use(flags.json, { description: 'print the files written as JSON' }),
  },
  clusterStatus: { ...clusterAccess, json: flags.json },
  clusterDown: {
    run: flags.run,
    force: use(flags.force, {
      description: 'also remove runs whose netbench process may still be running',
    }),
    ...clusterAccess,
    json: use(flags.json, { description: 'print what was removed as JSON' }),
  },
  images: { ...platformFlags, json: use(flags.json, { description: 'print the images as JSON' }) },
  schema: {},
  doctor: {
    kubeconfig: flags.kubeconfig,
    context: flags.context,
    json: use(flags.json, { description: 'print every section and check as JSON' }),
  },
} satisfies Record<string, FlagSet>;

/** Help text of a flag: its description and, when it has one, its default. */
export function helpText(flag: Flag<unknown>): string {
  const shown =
    flag.defaultText ?? (flag.default === undefined ? undefined : JSON.stringify(flag.default));
  const text = flag.repeatable === true ? `${flag.description} (repeatable)` : flag.description;
  return shown === undefined ? text : `${text} (default: ${shown})`;
}

/** The long name of a flag, `--out` from `-o, --out <dir>`, for messages. */
export function longName(flag: Flag<unknown>): string {
  return /--[a-z0-9-]+/.exec(flag.syntax)?.[0] ?? flag.syntax;
}

/**
 * Parses commander's raw option values (strings, `true`, or lists) with the table's parsers,
 * filling defaults. Every bad flag is reported at once.
 */
export function parseFlagValues<S extends FlagSet>(
  set: S,
  raw: Readonly<Record<string, unknown>>,
): FlagValues<S> {
  const out: Record<string, unknown> = {};
  const errors: NetbenchError[] = [];
  for (const [key, flag] of Object.entries(set)) {
    const given = raw[key];
    const name = longName(flag);
    try {
      if (given === undefined) {
        if (flag.repeatable === true) out[key] = [];
        else if (flag.default !== undefined) out[key] = flag.default;
      } else if (Array.isArray(given)) {
        out[key] =
          flag.variadic === true
            ? given.map(String)
            : given.map((v) => flag.parse(String(v), name));
      } else {
        out[key] = typeof given === 'string' ? flag.parse(given, name) : given;
      }
    } catch (error) {
      if (!(error instanceof NetbenchError)) throw error;
      errors.push(error);
    }
  }
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) {
    throw new NetbenchError('NB_USAGE_BAD_FLAG', `${errors.length} flags are not valid`, {
      problems: errors.map((e) => ({
        path: '',
        message: e.message,
        ...(e.hint === undefined ? {} : { hint: e.hint }),
      })),
    });
  }
  return out as FlagValues<S>;
}
