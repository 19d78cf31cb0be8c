import { describe, expect, it } from 'vitest';
import { IssueList } from './issue-sink.js';

interface FileIssue {
  file: string;
  path: string;
  message: string;
}

/** Sinks that share one list, one per file, as a validator of several files has. */
function fileSink(file: string, all: FileIssue[]): IssueList<FileIssue> {
  const OneFile = class extends IssueList<FileIssue> {
    protected override owns(issue: FileIssue): boolean {
      return issue.file === file;
    }
  };
  return new OneFile(all, (path, message) => ({ file, path, message }));
}

describe('IssueList', () => {
  it("records issues in the validator's own shape", () => {
    const list = new IssueList<{ path: string; message: string }>([], (path, message) => ({ path, message }));
    list.report('a.b', 'wrong');
    expect(list.all).toEqual([{ path: 'a.b', message: 'wrong' }]);
  });

  it('tells whether something was reported at or under a path since a mark', () => {
    const all: FileIssue[] = [];
    const project = fileSink('lanes.json', all);
    const params = fileSink('params/shop-dev.json', all);
    project.report('services.shop.run', 'early');
    const mark = all.length;
    params.report('services.shop.route', 'another file');
    project.report('services.shop.routes', 'a sibling');
    expect(project.reportedUnder('services.shop.route', mark)).toBe(false);
    expect(project.reportedUnder('services.shop.run', mark)).toBe(false);
    expect(params.reportedUnder('services.shop.route', mark)).toBe(true);
    project.report('services.shop.route.hosts[0]', 'inside');
    expect(project.reportedUnder('services.shop.route', mark)).toBe(true);
  });
});
