import { CfnCondition, CfnOutput, CfnParameter, Fn } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { REVISION_PARAMETERS } from './lane-revision.js';

/**
 * The revision parameters of an app stack (see `REVISION_PARAMETERS`): `Environment` and the previous revision,
 * which every deploy path (the provider and `ci/build.sh`) writes. They are stack outputs too, so the console and
 * `describe-stacks` show what runs and what a rollback would go back to.
 */
export function revisionParameters(scope: Construct): void {
  const environment = new CfnParameter(scope, REVISION_PARAMETERS.environment, {
    type: 'String',
    default: '{}',
    description: "The revision's environment as a JSON object (the container gets it as literal entries)",
  });
  const previousImage = new CfnParameter(scope, REVISION_PARAMETERS.previousImage, {
    type: 'String',
    default: '',
    description: 'The image the lane ran before ImageUri (what rollback goes back to); empty on the first deploy',
  });
  const previousEnvironment = new CfnParameter(scope, REVISION_PARAMETERS.previousEnvironment, {
    type: 'String',
    default: '{}',
    description: 'The environment the lane ran before, as a JSON object',
  });
  const hasPrevious = new CfnCondition(scope, 'HasPreviousRevision', {
    expression: Fn.conditionNot(Fn.conditionEquals(previousImage.valueAsString, '')),
  });
  const output = (id: string, value: string, condition?: CfnCondition) =>
    new CfnOutput(scope, `${id}Output`, { value, ...(condition ? { condition } : {}) }).overrideLogicalId(id);
  output(REVISION_PARAMETERS.environment, environment.valueAsString);
  output(REVISION_PARAMETERS.previousImage, previousImage.valueAsString, hasPrevious);
  output(REVISION_PARAMETERS.previousEnvironment, previousEnvironment.valueAsString, hasPrevious);
}
