// One way for every command to say that its input was cut or damaged: the readers' damage report (gaps with the
// ticks lost and where reading resumed, out-of-order chunks, damaged chunks, a cut), as text lines or as JSON.
import { type DamageEntry, describeDamage, type TickCoverage } from '@lanes/aoi-trace';
import type { CliIo } from '@lanes/cli-kit';

/** The damage an input met so far (readers without a report, such as an in-memory trace, have none). */
export function damageOf(input: unknown): DamageEntry[] {
  const report = (input as { damageReport?: DamageEntry[] }).damageReport;
  return Array.isArray(report) ? report : [];
}

/** Text lines for the entries, indented, prefixed with the file when one is named. */
export function damageLines(entries: readonly DamageEntry[], file?: string): string[] {
  const prefix = file === undefined ? '' : `${file}: `;
  return entries.map((entry) => `  ${prefix}${describeDamage(entry)}`);
}

/**
 * For commands whose output is data (query, export): the damage goes to stderr, one JSON object with `--json`,
 * else a warning line per entry, so the data stays valid and the user still learns what is missing from it.
 */
export function warnDamage(io: CliIo, command: string, entries: readonly DamageEntry[], json: boolean): void {
  if (entries.length === 0) return;
  if (json) {
    io.stderr.write(`${JSON.stringify({ warning: 'damaged input', damage: entries })}\n`);
    return;
  }
  io.stderr.write(`aoi-trace ${command}: the input is cut or damaged; the output covers what could be read:\n`);
  io.stderr.write(`${damageLines(entries).join('\n')}\n`);
}

/** "0..127, 256..599" and what was not read, for a one-line summary. */
export function coverageText(coverage: TickCoverage): string {
  const spans = coverage.covered.map((s) => (s.from === s.to ? `${s.from}` : `${s.from}..${s.to}`)).join(', ');
  const unread = coverage.unread.map((u) => `${u.from ?? 'start'}..${u.to ?? 'end'}`);
  if (coverage.cut) unread.push(`after ${coverage.covered.at(-1)?.to ?? 'the start'} (file cut)`);
  return `read ticks ${spans || 'none'}; NOT read: ${unread.join(', ')}`;
}
