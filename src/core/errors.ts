/**
 * One error type for everything netbench reports to a person: a stable `code`, the process exit
 * code that code maps to, and a `hint` that says what to do about it.
 */

/**
 * Exit codes of the `netbench` process. Documented in README.md ("Exit codes"); scripts rely on
 * them, so a value never changes meaning.
 */
export const exitCodes = {
  /** Everything asked for was done. */
  ok: 0,
  /** A bug in netbench: please report it with the stack trace printed under `--verbose`. */
  internal: 1,
  /** Bad command line: unknown flag, missing argument. */
  usage: 2,
  /** An input file (scenario, model, policies, results) is invalid. */
  invalidInput: 3,
  /** The platform cannot run this here: not root, a tool missing, a name busy, a kernel feature absent. */
  platformUnavailable: 4,
  /** The run finished but one or more thresholds failed. */
  thresholdsFailed: 5,
  /** A measurement could not be taken (workload or platform failed during the run). */
  runFailed: 6,
  /** Verification found a difference between expected and observed (e.g. policy verify). */
  mismatch: 7,
  /** Interrupted by SIGINT/SIGTERM; finished results were kept. */
  interrupted: 130,
} as const;

export type ExitCategory = keyof typeof exitCodes;

/**
 * Every error code netbench emits, mapped to its exit category. Codes are `NB_<AREA>_<WHAT>` and
 * are stable: tests and scripts match on them.
 */
export const errorCodes = {
  NB_INTERNAL: 'internal',
  NB_USAGE: 'usage',
  NB_USAGE_BAD_FLAG: 'usage',
  NB_FILE_NOT_FOUND: 'invalidInput',
  NB_FILE_UNREADABLE: 'invalidInput',
  /** An output path (--out) cannot be written. */
  NB_FILE_UNWRITABLE: 'usage',
  NB_SPEC_YAML: 'invalidInput',
  NB_SPEC_INVALID: 'invalidInput',
  NB_PLAN_IMPOSSIBLE: 'invalidInput',
  NB_RESULTS_INVALID: 'invalidInput',
  NB_PLATFORM_UNKNOWN: 'usage',
  NB_LAB_NOT_ROOT: 'platformUnavailable',
  NB_LAB_NAME_BUSY: 'platformUnavailable',
  NB_LAB_SETUP_FAILED: 'platformUnavailable',
  NB_LAB_CNI_MISSING: 'platformUnavailable',
  NB_LAB_CNI_FAILED: 'platformUnavailable',
  NB_LAB_BGP_FAILED: 'platformUnavailable',
  NB_LAB_BPF_FAILED: 'platformUnavailable',
  NB_TOOL_MISSING: 'platformUnavailable',
  NB_TOOL_FAILED: 'runFailed',
  NB_MESH_PROXY_FAILED: 'platformUnavailable',
  NB_WORKLOAD_FAILED: 'runFailed',
  NB_WORKLOAD_TIMEOUT: 'runFailed',
  NB_RUN_FAILED: 'runFailed',
  NB_THRESHOLDS_FAILED: 'thresholdsFailed',
  NB_INTERRUPTED: 'interrupted',
  NB_POLICY_INVALID: 'invalidInput',
  NB_POLICY_MODEL_INVALID: 'invalidInput',
  NB_POLICY_LAB_UNSUPPORTED: 'invalidInput',
  NB_POLICY_PROGRAM_FAILED: 'platformUnavailable',
  NB_POLICY_PROBE_FAILED: 'runFailed',
  NB_POLICY_MISMATCH: 'mismatch',
  NB_POLICY_LINT_FAILED: 'thresholdsFailed',
  /** A requirements file of `netbench advise` is invalid. */
  NB_ADVISE_REQUIREMENTS_INVALID: 'invalidInput',
  /** The Pushgateway refused a push or could not be reached. */
  NB_EXPORT_PUSH_FAILED: 'platformUnavailable',
  /** The live metrics port (`run --metrics-port`) cannot be listened on. */
  NB_METRICS_PORT_BUSY: 'usage',
  /** tcpdump could not capture in the client pod (`run --capture`). */
  NB_CAPTURE_FAILED: 'runFailed',
  /** Kubernetes platform (src/platform/kubernetes; docs/kubernetes.md). */
  NB_K8S_AGENT_BUNDLE_MISSING: 'platformUnavailable',
  NB_K8S_KUBECONFIG: 'platformUnavailable',
  NB_K8S_UNREACHABLE: 'platformUnavailable',
  NB_K8S_UNAUTHORIZED: 'platformUnavailable',
  NB_K8S_FORBIDDEN: 'platformUnavailable',
  NB_K8S_ADMISSION_REFUSED: 'platformUnavailable',
  NB_K8S_QUOTA_EXCEEDED: 'platformUnavailable',
  NB_K8S_NODES_UNSUITABLE: 'platformUnavailable',
  NB_K8S_MESH_MISSING: 'platformUnavailable',
  NB_K8S_IMAGE_PULL_FAILED: 'platformUnavailable',
  NB_K8S_PODS_NOT_READY: 'platformUnavailable',
  NB_K8S_WATCH_EXPIRED: 'runFailed',
  NB_K8S_API_FAILED: 'runFailed',
  NB_K8S_EXEC_FAILED: 'runFailed',
  NB_K8S_CLEANUP_FAILED: 'runFailed',
  /** A flag no command of that name knows (commander's own check). */
  NB_USAGE_UNKNOWN_FLAG: 'usage',
  NB_USAGE_UNKNOWN_COMMAND: 'usage',
  /** A required argument or flag, or a flag's value, is missing. */
  NB_USAGE_MISSING_ARGUMENT: 'usage',
  NB_USAGE_EXCESS_ARGUMENTS: 'usage',
  /** A positional argument outside its choices. */
  NB_USAGE_BAD_ARGUMENT: 'usage',
  /** An input file larger than its documented limit (src/spec/input-limits.ts). */
  NB_INPUT_TOO_LARGE: 'invalidInput',
  /** YAML nested or aliased past its limits (an alias bomb, runaway brackets). */
  NB_SPEC_YAML_LIMIT: 'invalidInput',
  /** A scenario that expands to more trials or repetitions than the documented limit. */
  NB_SPEC_TOO_MANY_TRIALS: 'invalidInput',
  NB_POLICY_CLUSTER_UNREACHABLE: 'platformUnavailable',
  /** `policy diff`: the new policies open connections, and --allow-opening was not given. */
  NB_POLICY_DIFF_OPENS: 'thresholdsFailed',
} as const satisfies Record<string, ExitCategory>;

export type ErrorCode = keyof typeof errorCodes;

/** One problem inside an input file, for errors that list many at once. */
export interface InputProblem {
  /** Dotted path to the offending value, e.g. `matrix.rate[1]`. */
  path: string;
  /** 1-based line in the file, when known. */
  line?: number;
  message: string;
  hint?: string;
}

export interface NetbenchErrorOptions {
  hint?: string;
  /** Problems of an input file, all of them (see `InputProblem`). */
  problems?: InputProblem[];
  cause?: unknown;
}

export class NetbenchError extends Error {
  readonly code: ErrorCode;
  readonly exitCode: number;
  readonly hint: string | undefined;
  readonly problems: InputProblem[];

  constructor(code: ErrorCode, message: string, options: NetbenchErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NetbenchError';
    this.code = code;
    this.exitCode = exitCodes[errorCodes[code]];
    this.hint = options.hint;
    this.problems = options.problems ?? [];
  }
}

export function isNetbenchError(value: unknown): value is NetbenchError {
  return value instanceof NetbenchError;
}

/** Formats an error for a person: message, every problem with its line, and the hint. */
export function formatError(error: NetbenchError, source?: string): string {
  const lines = [`error ${error.code}: ${error.message}`];
  for (const p of error.problems) {
    const where = `${source ?? ''}${p.line === undefined ? '' : `:${p.line}`}`;
    const prefix = where === '' ? '' : `${where}: `;
    lines.push(`  - ${prefix}${p.path === '' ? '' : `${p.path}: `}${p.message}`);
    if (p.hint !== undefined) lines.push(`      hint: ${p.hint}`);
  }
  if (error.hint !== undefined) lines.push(`  hint: ${error.hint}`);
  return lines.join('\n');
}
