import { IssueList } from '@lanes/json-config';
import type { ConfigIssue } from './errors.js';

/** Where the config readers report: `{ path, message }` issues of one file, which `GatewayConfigError` names once. */
export type GatewayIssues = IssueList<ConfigIssue>;

export function gatewayIssues(): GatewayIssues {
  return new IssueList<ConfigIssue>([], (path, message) => ({ path, message }));
}
