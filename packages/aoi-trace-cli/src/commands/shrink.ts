import {
  DETECTOR_NAMES,
  detect,
  findingVariant,
  matchesSignature,
  NdjsonReader,
  type ShrinkProgress,
  type ShrinkResult,
  shrinkTrace,
  signatureOf,
  TraceError,
  TraceErrorCode,
} from '@lanes/aoi-trace';
import { type CliIo, defineCommand, EXIT } from '@lanes/cli-kit';
import { openInput } from '../open-input.js';
import { writeOutputAtomically } from '../open-output.js';

export const shrinkCommand = defineCommand({
  name: 'shrink',
  summary: 'the smallest trace that still shows a finding (delta debugging), as NDJSON',
  positionals: [{ name: 'trace' }],
  description: `Shrinks a trace (.aoitrace or NDJSON) to a small one on which the detectors still report the same finding, by
delta debugging (ddmin): over entities first, then over ticks (a dropped tick's moves, spawns and despawns fold
into the next kept tick), then coordinates (translated toward the origin, rounded), until removing any one entity or
tick more makes the finding disappear. Writes the repro as NDJSON and prints what the finding is, which entities and
ticks remain, and the detect command that shows it from the file. --json gives the result as one JSON object.
Progress (candidates tried, current size) goes to stderr when it is a terminal.

--finding <id> is the finding's number (from 0) in 'aoi-trace detect <trace> --json' (all detectors); --finding
<kind> the first finding of a detector (${DETECTOR_NAMES.join(', ')}), optionally with :variant
(ground-truth:missing|extra|late, torn-view:asymmetric-view|missing-leave, adjacency:never-entered|never-left,
oscillation:pair|entity|region, delayed-broadcast:enter|exit) and @tick (the tick the finding began at), e.g.
ground-truth:late@140.`,
  options: {
    finding: {
      type: 'string',
      value: '<id|kind[@tick]>',
      required: true,
      description: 'the finding to keep: its number in detect --json, or a detector kind[:variant][@tick]',
    },
    out: {
      type: 'string',
      short: 'o',
      value: '<repro.ndjson>',
      required: true,
      description: 'where to write the repro (NDJSON, docs/aoi-trace-ndjson.md)',
    },
    'max-seconds': {
      type: 'number',
      value: '<s>',
      default: '60',
      description:
        'stop searching after s seconds and keep the smallest repro so far; the search starts once the finding is located (one pass of its detector over the trace)',
    },
  },
  async run({ values, positionals: [path] }, io) {
    const trace = path as string;
    const finding = values.finding as string;
    const out = values.out as string;
    if (!out.endsWith('.ndjson')) {
      throw new TraceError(TraceErrorCode.InvalidArgument, `--out must name an .ndjson file (got "${out}").`);
    }
    const maxSeconds = values['max-seconds'] ?? 60;
    const progress = progressLine(io);
    const input = openInput(trace);
    let result: ShrinkResult;
    try {
      result = shrinkTrace(input, { finding, maxSeconds, ...(progress ? { onProgress: progress.update } : {}) });
    } finally {
      progress?.clear();
      input.close?.();
    }
    writeOutputAtomically(out, (output) => {
      output.sink.begin(result.header);
      for (const record of result.records) output.sink.writeTick(record);
    });
    // The file, read back with the validating reader, must show the finding: what the printed command will do.
    const signature = signatureOf(result.finding);
    const check = detect(new NdjsonReader(out), { detectors: [signature.detector] });
    if (!check.findings.some((f) => matchesSignature(f, signature))) {
      throw new Error(`the repro written to ${out} does not show the finding when read back.`);
    }
    const command = `aoi-trace detect ${shellWord(out)} --only ${signature.detector}`;
    const summary = summarize(trace, result);
    if (values.json) {
      const { header: _header, records: _records, ...rest } = result;
      io.stdout.write(
        `${JSON.stringify({ trace, out, ...rest, seconds: result.elapsedMs / 1000, summary, command })}\n`,
      );
    } else {
      io.stdout.write(`${summary}\n\nReproduce: ${command}\n`);
    }
    return EXIT.ok;
  },
});

/** The one paragraph a bug report needs: what, who, when, how small, and how it was simplified. */
export function summarize(trace: string, result: ShrinkResult): string {
  const { finding, reproduced, before, after, transform } = result;
  const seconds = `${(result.elapsedMs / 1000).toFixed(1)} s (${(result.locateMs / 1000).toFixed(1)} s of it locating the finding)`;
  const list = (items: readonly number[]) =>
    items.length > 12 ? `${items.slice(0, 12).join(', ')}, ...` : items.join(', ');
  const moved =
    transform.offsetX === 0 && transform.offsetY === 0 && transform.decimals === undefined
      ? 'Coordinates are as recorded.'
      : `Coordinates are translated by (${-transform.offsetX}, ${-transform.offsetY})` +
        (transform.decimals === undefined ? '.' : ` and rounded to ${transform.decimals} decimal(s).`);
  const stopped =
    result.type === 'stopped-early'
      ? ` It stopped early, at the --max-seconds limit: this is the smallest repro found so far, a longer run may remove more.`
      : ' Removing any one entity or tick more makes the finding disappear.';
  return (
    `${finding.detector} (${findingVariant(finding)}) in ${trace}, tick ${finding.tick}, entities ` +
    `${finding.entities.join(', ')}: ${finding.message} Shrunk from ${before.entities} entities and ${before.ticks} ` +
    `ticks to ${after.entities} entit${after.entities === 1 ? 'y' : 'ies'} (${list(after.entityIds)}) and ` +
    `${after.ticks} tick(s) (${list(after.tickNumbers)}; a dropped tick folds into the next kept one) in ${seconds} ` +
    `and ${result.candidates} candidate(s).${stopped} ${moved} In the repro: ${reproduced.message}`
  );
}

/** A progress line on stderr, redrawn at most every 100 ms; only when stderr is a terminal. */
function progressLine(io: CliIo): { update(p: ShrinkProgress): void; clear(): void } | undefined {
  if ((io.stderr as { isTTY?: boolean }).isTTY !== true) return undefined;
  let last = 0;
  let drawn = false;
  return {
    update(p) {
      const now = Date.now();
      if (now - last < 100) return;
      last = now;
      drawn = true;
      const seconds = `${(p.elapsedMs / 1000).toFixed(1)} s`;
      io.stderr.write(
        p.phase === 'detect'
          ? `\r\x1b[Kshrink: looking for the finding, ${p.ticks} ticks read, ${seconds}`
          : `\r\x1b[Kshrink: ${p.phase}, ${p.candidates} candidates, now ${p.entities} entities x ${p.ticks} ticks, ${seconds}`,
      );
    },
    clear() {
      if (drawn) io.stderr.write('\r\x1b[K');
    },
  };
}

/** `path` as one shell word (quoted when it needs to be). */
function shellWord(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
