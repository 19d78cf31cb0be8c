/**
 * Runs an async refresh at most once at a time; pokes during a run collapse into one more run afterwards, which
 * reads whatever is current then (latest wins, nothing queues up while playing).
 */
export class Refresher {
  private running = false;
  private wanted = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly onError: (error: Error) => void,
  ) {}

  poke(): void {
    if (this.running) {
      this.wanted = true;
      return;
    }
    this.running = true;
    this.run()
      .catch((error: Error) => this.onError(error))
      .finally(() => {
        this.running = false;
        if (this.wanted) {
          this.wanted = false;
          this.poke();
        }
      });
  }
}
