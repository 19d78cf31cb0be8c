import { byTestId } from './dom.js';
import type { Playback } from './playback.js';

/**
 * What the user does with time: play/pause, seeking and stepping, and for a live stream following its newest tick
 * (a LIVE badge; any move back stops following, the badge, End or Play at the end resumes it).
 */
export class Transport {
  following: boolean;
  private readonly badge = byTestId<HTMLButtonElement>('live-badge');

  constructor(
    private readonly playback: Playback,
    readonly live: boolean,
  ) {
    this.following = live;
    this.badge.hidden = !live;
    this.badge.addEventListener('click', () => this.follow());
    // Live: playing that catches up with the stream goes on following it.
    playback.onEnd = () => {
      if (this.live) this.setFollowing(true);
    };
    this.render();
  }

  /** Playing, or following a live stream (both read as "Pause" on the button). */
  get active(): boolean {
    return this.playback.playing || this.following;
  }

  togglePlay(): void {
    const p = this.playback;
    if (this.active) {
      p.playing = false;
      this.setFollowing(false);
      return;
    }
    if (p.targetTick >= p.last) {
      // At the end, Play starts over (a recording) or follows the stream again (live).
      if (this.live) {
        this.follow();
        return;
      }
      p.seek(p.first);
    }
    p.playing = true;
    this.render();
  }

  /** A move by the user: it pauses playing, and following unless it goes to the newest tick. */
  seek(tick: number): void {
    this.playback.playing = false;
    this.setFollowing(this.live && tick >= this.playback.last);
    this.playback.seek(tick);
  }

  step(delta: number): void {
    this.seek(Math.max(this.playback.first, Math.min(this.playback.last, this.playback.targetTick + delta)));
  }

  follow(): void {
    this.playback.playing = false;
    this.setFollowing(true);
    this.playback.seek(this.playback.last);
  }

  /** New bounds arrived: a following playhead moves on to the newest tick. */
  onBounds(): void {
    if (this.following && this.playback.targetTick < this.playback.last) this.playback.seek(this.playback.last);
  }

  private setFollowing(on: boolean): void {
    this.following = on;
    this.render();
  }

  private render(): void {
    this.badge.dataset.following = String(this.following);
    this.badge.textContent = this.following ? 'LIVE' : 'Go live';
    this.badge.title = this.following ? 'following the newest tick' : 'follow the newest tick again (End)';
  }
}
