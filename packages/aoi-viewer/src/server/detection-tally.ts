import type { AnomalyFinding, DetectionStatus } from '../protocol/api-types.js';

/** A data source's {@link DetectionStatus}: the detectors' state and their exact counts per detector. */
export class DetectionTally {
  state: DetectionStatus['state'];
  private counts: Record<string, number> = {};
  private error: string | undefined;

  constructor(state: DetectionStatus['state'] = 'off') {
    this.state = state;
  }

  /** Counts listed findings one by one (when nothing better, such as a detector's own totals, is known). */
  countFindings(findings: readonly AnomalyFinding[]): void {
    for (const finding of findings) this.counts[finding.detector] = (this.counts[finding.detector] ?? 0) + 1;
  }

  /** The detectors' own totals, which also count the findings beyond their cap. */
  setCounts(counts: Readonly<Record<string, number>>): void {
    this.counts = { ...counts };
  }

  fail(message: string): void {
    this.state = 'failed';
    this.error = message;
  }

  status(): DetectionStatus {
    return {
      state: this.state,
      counts: { ...this.counts },
      ...(this.error === undefined ? {} : { error: this.error }),
    };
  }
}
