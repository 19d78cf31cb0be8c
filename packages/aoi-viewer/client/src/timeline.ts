import type { AnomalyFinding } from '../../src/protocol/api-types.js';
import { byTestId, element } from './dom.js';
import type { Playback } from './playback.js';

/** Scrubber, play/pause, speed, and anomaly markers (on the track and as a list). */
export class Timeline {
  private readonly scrubber = byTestId<HTMLInputElement>('scrubber');
  private readonly play = byTestId<HTMLButtonElement>('play');
  private readonly speed = byTestId<HTMLSelectElement>('speed');
  private anomalies: readonly AnomalyFinding[] = [];

  constructor(
    private readonly playback: Playback,
    private readonly onAnomaly: (finding: AnomalyFinding) => void,
  ) {
    this.scrubber.addEventListener('input', () => {
      playback.playing = false;
      playback.seek(Number(this.scrubber.value));
      this.update();
    });
    this.play.addEventListener('click', () => {
      if (!playback.playing && playback.tick >= playback.last) playback.seek(playback.first);
      playback.playing = !playback.playing;
      this.update();
    });
    this.speed.addEventListener('change', () => {
      playback.speed = Number(this.speed.value);
    });
  }

  setBounds(first: number, last: number): void {
    this.scrubber.min = String(first);
    this.scrubber.max = String(last);
    byTestId('last-tick').textContent = String(last);
    this.placeMarkers();
  }

  setAnomalies(findings: readonly AnomalyFinding[]): void {
    this.anomalies = findings;
    byTestId('anomaly-count').textContent = `(${findings.length})`;
    byTestId('anomaly-list').replaceChildren(
      ...findings.slice(0, 1000).map((finding) => {
        const button = element('button', {
          textContent: `tick ${finding.tick} · ${finding.detector}: ${finding.message}`,
          onclick: () => this.onAnomaly(finding),
        });
        return element('li', {}, { 'data-testid': 'anomaly-item' }).appendChild(button).parentElement!;
      }),
    );
    this.placeMarkers();
  }

  /** Reflects the playhead (called whenever it moves). */
  update(): void {
    const tick = this.playback.tick;
    if (document.activeElement !== this.scrubber) this.scrubber.value = String(tick);
    byTestId('tick').textContent = tick < 0 ? '-' : String(tick);
    this.play.textContent = this.playback.playing ? 'Pause' : 'Play';
  }

  private placeMarkers(): void {
    const { first, last } = this.playback;
    const span = Math.max(1, last - first);
    // One marker per distinct tick: thousands of findings on one tick are one place to jump to.
    const byTick = new Map<number, AnomalyFinding>();
    for (const finding of this.anomalies) if (!byTick.has(finding.tick)) byTick.set(finding.tick, finding);
    byTestId('anomaly-markers').replaceChildren(
      ...[...byTick.values()].slice(0, 2000).map((finding) =>
        element(
          'button',
          { title: `${finding.detector}: ${finding.message}`, onclick: () => this.onAnomaly(finding) },
          {
            'data-testid': 'anomaly-marker',
            'data-tick': String(finding.tick),
            style: `left: ${((finding.tick - first) / span) * 100}%`,
          },
        ),
      ),
    );
  }
}
