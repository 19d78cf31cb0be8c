import type { Stack } from '@aws-sdk/client-cloudformation';
import { type LaneRevision, parseEnvironment, REVISION_PARAMETERS, sameRevision } from '../synth/lane-revision.js';
import { parameterOf, TAGS, tagOf } from './stack-reader.js';

/** The revision a stack runs, from its parameters (the tag `lanes:image` is not needed: `ImageUri` says it). */
export function revisionOfStack(stack: Stack | undefined): LaneRevision | undefined {
  const image = parameterOf(stack, REVISION_PARAMETERS.image);
  if (!image) return undefined;
  return { image, environment: parseEnvironment(parameterOf(stack, REVISION_PARAMETERS.environment)) };
}

/**
 * The revision a stack ran before its current one, from the parameters every deploy path carries forward
 * (`PreviousImageUri`, `PreviousEnvironment`); stacks deployed before those existed have the tag
 * `lanes:previous-image`. Undefined when there is none.
 */
export function recordedPreviousOf(stack: Stack | undefined): LaneRevision | undefined {
  const image = parameterOf(stack, REVISION_PARAMETERS.previousImage) || tagOf(stack, TAGS.previousImage);
  if (!image) return undefined;
  const environment = parseEnvironment(parameterOf(stack, REVISION_PARAMETERS.previousEnvironment));
  return { image, environment };
}

/** The revision a deploy of `next` moves away from: the running one, or on a redeploy the one recorded before. */
export function previousRevisionOf(live: Stack | undefined, next: LaneRevision): LaneRevision | undefined {
  const running = revisionOfStack(live);
  if (running && !sameRevision(running, next)) return running;
  return recordedPreviousOf(live);
}
