import { randomBytes } from 'node:crypto';

/** The nested answer of test/fixtures/lane-service.mjs: who answered, and what its downstream call answered. */
export interface ChainAnswer {
  service: string;
  lane: string;
  downstream?: ChainAnswer;
}

/** `service/lane` of every hop of a chain answer, first hop first. */
export function lanesOf(answer: ChainAnswer): string[] {
  return [`${answer.service}/${answer.lane}`, ...(answer.downstream ? lanesOf(answer.downstream) : [])];
}

/** A sampled W3C traceparent with fresh random ids: a new trace. */
export function newTraceparent(): string {
  return `00-${randomBytes(16).toString('hex')}-${randomBytes(8).toString('hex')}-01`;
}
