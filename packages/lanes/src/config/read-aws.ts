import { belongsIn, type ObjectFields } from '@lanes/json-config';
import type { AwsSettings, Project } from '../model.js';
import { ALB_RULES_QUOTA_RANGE, HEADER_MATCH_CHOICES, PROJECT_DEFAULTS, PROJECT_FIELDS } from './project-defaults.js';

/** Fields people may put in `aws` that live elsewhere, or that Lanes derives. */
const AWS_ELSEWHERE = {
  carriers: 'the ALB rules match the carriers of "gateway.carriers"',
  targetGroupsQuota: 'ALB allows 100 target groups per load balancer and the quota is not adjustable',
  region: 'Lanes takes the region from the AWS SDK (AWS_REGION or the profile)',
};

/** Keys of the `aws` block written at the top level by mistake. */
export const AWS_TOP_ELSEWHERE = {
  headerMatch: belongsIn('aws.headerMatch'),
  albRulesQuota: belongsIn('aws.albRulesQuota'),
};

/** The `aws` block, with defaults for what it leaves out; every problem goes to the root's sink. */
export function readAws(root: ObjectFields): AwsSettings {
  const defaults = PROJECT_DEFAULTS.aws;
  const aws = root.object('aws', PROJECT_FIELDS.aws, AWS_ELSEWHERE);
  if (!aws) return { ...defaults };
  return {
    headerMatch: aws.choice('headerMatch', HEADER_MATCH_CHOICES, defaults.headerMatch),
    albRulesQuota: aws.integer('albRulesQuota', { ...ALB_RULES_QUOTA_RANGE, default: defaults.albRulesQuota }),
  };
}

/** The project's AWS settings, or the defaults when it was built without them. */
export function awsSettings(project: Pick<Project, 'aws'>): AwsSettings {
  return project.aws ?? { ...PROJECT_DEFAULTS.aws };
}
