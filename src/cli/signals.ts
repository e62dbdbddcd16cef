/** Which command lines own live resources (namespaces, processes) that a signal must tear down. */

/** Commands, as their words on the command line, that build something to tear down. */
const buildingCommands: readonly (readonly string[])[] = [
  ['run'],
  ['lab', 'up'],
  ['lab', 'down'],
  ['policy', 'verify'],
  ['agent'],
];

/** True when `argv` (without node and the script) names a command in `buildingCommands`. */
export function tearsDown(argv: readonly string[]): boolean {
  const words = argv.filter((a) => !a.startsWith('-'));
  return buildingCommands.some((command) => command.every((w, i) => words[i] === w));
}
