import { IssueList } from '@lanes/json-config';
import type { ConfigIssue } from '../errors.js';

/** Where the issues of one file go: every issue names its file, and all files share one list. */
export class FileIssues extends IssueList<ConfigIssue> {
  constructor(
    readonly file: string,
    all: ConfigIssue[],
  ) {
    super(all, (path, message) => ({ file, path, message }));
  }

  protected override owns(issue: ConfigIssue): boolean {
    return issue.file === this.file;
  }
}
