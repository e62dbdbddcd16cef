/**
 * commander, fed from the flag table: `FlagCommand.with(set, action)` adds the set's options to a
 * command (syntax and help from the table) and hands the action the values parsed and typed by
 * the table. Usage errors commander finds itself become `NB_USAGE_*` errors (exit 2).
 */
import { Command, CommanderError, Option } from 'commander';
import { NetbenchError, type ErrorCode } from '../core/errors.js';
import { helpText, parseFlagValues, type Flag, type FlagValues } from './flags.js';

/** A command whose options come from the flag table. */
export class FlagCommand extends Command {
  override createCommand(name?: string): FlagCommand {
    return new FlagCommand(name);
  }

  /** commander reports every usage error here, on the command it concerns. */
  override error(message: string, options?: { code?: string; exitCode?: number }): never {
    try {
      super.error(message, options);
    } catch (error) {
      if (error instanceof CommanderError) throw usageError(error, commandPath(this));
      throw error;
    }
    throw new Error('unreachable: commander.error returned');
  }

  /** Adds every flag of `set` and runs `action` with positional arguments and typed values. */
  with<S extends Readonly<Record<string, Flag<unknown>>>>(
    set: S,
    action: (args: (string | undefined)[], flags: FlagValues<S>) => Promise<void>,
  ): this {
    const attributes: [key: string, attribute: string][] = [];
    for (const [key, flag] of Object.entries(set)) {
      const option = new Option(flag.syntax, helpText(flag));
      if (flag.repeatable === true) {
        option.argParser((value: string, previous: string[] | undefined) => [
          ...(previous ?? []),
          value,
        ]);
      }
      if (flag.required === true) option.makeOptionMandatory();
      this.addOption(option);
      attributes.push([key, option.attributeName()]);
    }
    return this.action(async (...args: unknown[]) => {
      const command = args.at(-1) as Command;
      const opts = command.opts<Record<string, unknown>>();
      const raw = Object.fromEntries(attributes.map(([key, attr]) => [key, opts[attr]]));
      const positional = args.slice(0, -2) as (string | undefined)[];
      await action(positional, parseFlagValues(set, raw));
    });
  }
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const usageCodes: Record<string, ErrorCode> = {
  'commander.unknownOption': 'NB_USAGE_UNKNOWN_FLAG',
  'commander.unknownCommand': 'NB_USAGE_UNKNOWN_COMMAND',
  'commander.missingArgument': 'NB_USAGE_MISSING_ARGUMENT',
  'commander.optionMissingArgument': 'NB_USAGE_MISSING_ARGUMENT',
  'commander.missingMandatoryOptionValue': 'NB_USAGE_MISSING_ARGUMENT',
  'commander.excessArguments': 'NB_USAGE_EXCESS_ARGUMENTS',
  'commander.invalidArgument': 'NB_USAGE_BAD_ARGUMENT',
  'commander.conflictingOption': 'NB_USAGE_BAD_FLAG',
};

/**
 * commander's own usage error as a NetbenchError: its message without the "error: " prefix, its
 * "(Did you mean …?)" as the hint, else a pointer to the command's `--help`.
 */
function usageError(error: CommanderError, commandPath: string): NetbenchError {
  const [first = error.message, ...rest] = error.message
    .replace(/^error: /, '')
    .split('\n')
    .filter((l) => l.trim() !== '');
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(' '))?.[1];
  return new NetbenchError(usageCodes[error.code] ?? 'NB_USAGE', first, {
    hint:
      suggestion === undefined
        ? `run "${commandPath} --help" for usage`
        : `did you mean ${suggestion}? ("${commandPath} --help" lists them)`,
  });
}
