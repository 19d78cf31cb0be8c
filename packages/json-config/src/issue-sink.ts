import { isPathWithin } from './json-path.js';

/**
 * Where a reader reports problems. Each validator decides what an issue is: the gateway keeps `{ path, message }`,
 * lanes adds the file.
 */
export interface IssueSink {
  /** Records a problem at a JSON path (`''` for the whole document). */
  report(path: string, message: string): void;
}

/** An issue sink that keeps issues in a list, as records of the validator's own shape. */
export class IssueList<Issue extends { readonly path: string }> implements IssueSink {
  /**
   * @param all the list issues go to; several sinks may share one (lanes: one sink per file)
   * @param toIssue makes the validator's issue record
   */
  constructor(
    readonly all: Issue[],
    private readonly toIssue: (path: string, message: string) => Issue,
  ) {}

  report(path: string, message: string): void {
    this.all.push(this.toIssue(path, message));
  }

  /** Whether one of this sink's issues at or under `path` was reported after the first `since` issues of `all`. */
  reportedUnder(path: string, since: number): boolean {
    return this.all.slice(since).some((issue) => this.owns(issue) && isPathWithin(issue.path, path));
  }

  /** Whether `issue` came through this sink, when sinks share `all`. @default every issue does */
  protected owns(_issue: Issue): boolean {
    return true;
  }
}
