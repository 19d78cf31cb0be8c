import type { DetectionReport } from '../detect/detect.js';
import { DETECTOR_NAMES, type DetectorName, type Finding } from '../detect/types.js';
import { TraceError, TraceErrorCode } from '../errors.js';

/**
 * Which finding to shrink, as `--finding` gives it: its position in `aoi-trace detect --json`'s `findings` (all
 * detectors, default options), or a kind (`torn-view`, `ground-truth:missing`, ...) and optionally the tick it
 * began at: the first such finding.
 */
export type FindingSelector =
  | { type: 'index'; index: number }
  | { type: 'kind'; detector: DetectorName; variant?: string; tick?: number };

/**
 * What a finding is, independent of the ticks around it: the detector, its variant (the evidence's own word for
 * what went wrong, see {@link findingVariant}) and the key entities.
 */
export interface FindingSignature {
  detector: DetectorName;
  variant: string;
  /** For a pair finding [watcher, target], for an entity finding [entity], for a region finding [its top watcher]. */
  keys: number[];
  /** Region findings list their top watchers: a match needs the key among them, not the same list. */
  subset: boolean;
}

/** The variants each detector reports (the evidence field that says which one). */
export const FINDING_VARIANTS: Record<DetectorName, readonly string[]> = {
  'torn-view': ['asymmetric-view', 'missing-leave'],
  'delayed-broadcast': ['enter', 'exit'],
  adjacency: ['never-entered', 'never-left'],
  oscillation: ['pair', 'entity', 'region'],
  'ground-truth': ['missing', 'extra', 'late'],
};

/**
 * A finding's variant: torn-view's kind, the delayed event, adjacency's kind, oscillation's scope, and ground
 * truth's finding with its event (`missing enter`), since a missing enter and a missing exit are two bugs.
 */
export function findingVariant(finding: Finding): string {
  const e = finding.evidence;
  switch (finding.detector) {
    case 'torn-view':
    case 'adjacency':
      return String(e.kind);
    case 'delayed-broadcast':
      return String(e.event);
    case 'oscillation':
      return String(e.scope);
    case 'ground-truth':
      return `${String(e.finding)} ${String(e.event)}`;
  }
}

export function signatureOf(finding: Finding): FindingSignature {
  const variant = findingVariant(finding);
  const region = finding.detector === 'oscillation' && variant === 'region';
  return {
    detector: finding.detector,
    variant,
    keys: region ? finding.entities.slice(0, 1) : [...finding.entities],
    subset: region,
  };
}

/**
 * The match rule of the shrinker's predicate: same detector, same variant, and the same key entities in the same
 * order (watcher and target are not interchangeable); a region finding matches when its watchers include the key.
 * The tick is not compared: dropping ticks folds them into the next kept one, which moves the finding with them.
 */
export function matchesSignature(finding: Finding, signature: FindingSignature): boolean {
  if (finding.detector !== signature.detector || findingVariant(finding) !== signature.variant) return false;
  if (signature.subset) return signature.keys.every((k) => finding.entities.includes(k));
  const { entities } = finding;
  return entities.length === signature.keys.length && entities.every((id, i) => id === signature.keys[i]);
}

const bad = (message: string) => new TraceError(TraceErrorCode.InvalidArgument, `--finding: ${message}`);

/** `12`, `torn-view`, `ground-truth:missing@140`, `oscillation:pair@0`. */
export function parseFindingSelector(text: string): FindingSelector {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { type: 'index', index: Number(trimmed) };
  const match = /^([a-z-]+)(?::([a-z-]+))?(?:@(\d+))?$/.exec(trimmed);
  const detector = match?.[1] as DetectorName | undefined;
  if (match === null || detector === undefined || !DETECTOR_NAMES.includes(detector)) {
    throw bad(
      `"${text}" is neither a finding number nor kind[@tick] with kind one of ${DETECTOR_NAMES.join(', ')} ` +
        '(optionally :variant, e.g. ground-truth:missing@140).',
    );
  }
  const variant = match[2];
  if (variant !== undefined && !FINDING_VARIANTS[detector].some((v) => v === variant || v.startsWith(`${variant} `))) {
    throw bad(`"${variant}" is not a variant of ${detector} (${FINDING_VARIANTS[detector].join(', ')}).`);
  }
  return {
    type: 'kind',
    detector,
    ...(variant === undefined ? {} : { variant }),
    ...(match[3] === undefined ? {} : { tick: Number(match[3]) }),
  };
}

/** The selected finding of `report`, or a user error that says what there is instead. */
export function selectFinding(report: DetectionReport, selector: FindingSelector): Finding {
  const { findings } = report;
  if (selector.type === 'index') {
    const found = findings[selector.index];
    if (found === undefined) {
      throw bad(`there is no finding #${selector.index}; detect lists ${findings.length} (numbered from 0).`);
    }
    return found;
  }
  const { detector, variant, tick } = selector;
  const ofKind = findings.filter(
    (f) =>
      f.detector === detector &&
      (variant === undefined || findingVariant(f) === variant || findingVariant(f).startsWith(`${variant} `)),
  );
  const kind = `${detector}${variant === undefined ? '' : `:${variant}`}`;
  const [first] = ofKind;
  if (first === undefined) throw bad(`the trace has no ${kind} finding.`);
  if (tick === undefined) return first;
  const atTick = ofKind.find((f) => f.tick === tick);
  if (atTick === undefined) {
    const ticks = [...new Set(ofKind.map((f) => f.tick))].slice(0, 10).join(', ');
    throw bad(`no ${kind} finding began at tick ${tick} (the first ones began at ticks ${ticks}).`);
  }
  return atTick;
}
