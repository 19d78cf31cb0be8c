export { type DdminResult, ddmin } from './ddmin.js';
export {
  FINDING_VARIANTS,
  type FindingSelector,
  type FindingSignature,
  findingVariant,
  matchesSignature,
  parseFindingSelector,
  selectFinding,
  signatureOf,
} from './finding-match.js';
export { findMatch } from './predicate.js';
export { type CoordinateTransform, type Projection, projectTrace } from './project.js';
export { type ShrinkOptions, type ShrinkPhase, type ShrinkProgress, type ShrinkResult, shrinkTrace } from './shrink.js';
