/**
 * `netbench doctor [--json]`: what this machine has and lacks for each platform, datapath,
 * workload and feature, each missing piece with the command that installs it. Exit 0 even when
 * pieces are missing: doctor reports, it does not judge (`ready` per section says it).
 */
import { clusterSection, type ClusterOptions } from '../doctor/cluster-checks.js';
import { runDoctorChecks, type DoctorSection } from '../doctor/doctor-checks.js';
import type { DoctorPort } from '../doctor/doctor-port.js';
import type { CliContext } from '../context.js';
import { writeJson, writeLine } from '../output.js';

export async function doctorCommand(
  flags: ClusterOptions & { json?: boolean },
  port: DoctorPort,
  ctx: Pick<CliContext, 'stdout'>,
): Promise<number> {
  const sections = [...(await runDoctorChecks(port)), await clusterSection(port, flags)];
  if (flags.json === true) {
    writeJson(ctx.stdout, { sections });
    return 0;
  }
  for (const line of doctorText(sections)) writeLine(ctx.stdout, line);
  return 0;
}

function doctorText(sections: readonly DoctorSection[]): string[] {
  const lines: string[] = [];
  for (const s of sections) {
    lines.push(`${s.ready ? 'ready  ' : 'MISSING'}  ${s.title} (${s.purpose})`);
    for (const c of s.checks) {
      lines.push(`    ${c.ok ? 'ok  ' : 'no  '} ${c.name.padEnd(12)} ${c.detail}`);
      if (c.fix !== undefined) lines.push(`          fix: ${c.fix}`);
    }
  }
  const missing = sections.flatMap((s) => s.checks).filter((c) => !c.ok);
  lines.push('');
  lines.push(
    missing.length === 0
      ? 'everything netbench can use is here'
      : `${new Set(missing.map((c) => c.name)).size} pieces missing; "sudo sh scripts/bootstrap.sh" installs the Debian packages`,
  );
  return lines;
}
