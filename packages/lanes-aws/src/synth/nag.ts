import { NagSuppressions } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** A cdk-nag (AwsSolutions) finding accepted on purpose, with the reason next to the resource that causes it. */
export function suppress(resource: IConstruct, id: string, reason: string, appliesTo?: string[]): void {
  NagSuppressions.addResourceSuppressions(resource, [{ id, reason, ...(appliesTo ? { appliesTo } : {}) }]);
}
