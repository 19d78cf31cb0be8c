// The payload of a keyframe chunk as the writer hands it to the packer: the entities (keyframe-codec.ts) and, in
// format 3.1, the slots and the view sets told by the prediction rule (keyframe-views.ts). The packer adds the view
// sets of 2.x and 3.0 keyframes.

import { ByteWriter } from './byte-writer.js';
import type { EventPredictor, PredictedEntity } from './event-predictor.js';
import { finderCharges } from './keyframe-candidates.js';
import { encodeKeyframeEntities } from './keyframe-codec.js';
import { encodeKeyframeRule, encodeKeyframeSlots, encodeRuleViews } from './keyframe-views.js';
import { beyondLimit, ChunkBudget } from './limits.js';
import type { Quantizer } from './quantizer.js';
import type { SlotOrder } from './slot-order.js';
import type { WorldMirror } from './world-mirror.js';

/** Encodes the keyframe of the mirror's world (and, with `slots`, of the predictor's view sets). */
export function encodeKeyframe(
  mirror: WorldMirror,
  quantizer: Quantizer,
  predictor: EventPredictor | undefined,
  slots: SlotOrder | undefined,
): Uint8Array {
  const out = new ByteWriter(1 << 16);
  encodeKeyframeEntities(out, mirror);
  if (slots !== undefined && predictor !== undefined) {
    const budget = writerBudget();
    const { charge, work } = finderCharges(budget);
    // The rule decides every view (rule-views.ts): the same bytes, without finding the candidates again.
    const rule = predictor.ruleViews(charge, work);
    if (rule !== undefined) {
      encodeKeyframeSlots(out, slots);
      encodeRuleViews(out, rule.missing, rule.extra);
    } else encodeKeyframeRule(out, keyframeEntities(mirror, quantizer), predictor.views, slots, budget);
  }
  return out.toBytes();
}

/** A keyframe's entities at their stored positions (what a reader of it predicts from). */
function keyframeEntities(mirror: WorldMirror, quantizer: Quantizer): PredictedEntity[] {
  const table = mirror.positions;
  return [...mirror.meta.values()].map((entity) => {
    const slot = table.slotOf(entity.id);
    return { ...entity, x: quantizer.decode(table.qx[slot]!), y: quantizer.decode(table.qy[slot]!) };
  });
}

/** The reader's keyframe bounds (limits.ts), as the writer's refusal: it never writes a keyframe a reader refuses. */
const writerBudget = () => new ChunkBudget((what) => beyondLimit(`a keyframe ${what}`));
