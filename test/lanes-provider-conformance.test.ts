import { rm } from 'node:fs/promises';
import { AwsProviderAdapter } from '@lanes/aws';
import {
  type LaneKey,
  type LaneProvider,
  LocalLaneProvider,
  openProject,
  PROVIDER_FEATURES,
  type ProjectSession,
} from '@lanes/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fakeAwsLane } from './support/fake-aws-lane.js';
import { createProject } from './support/lanes-project.js';

/** What a refusal of any kind is: nothing was changed, exit 2. */
const REFUSALS = ['busy', 'refused', 'unsupported', 'not-found', 'no-previous'];

let dir: string;
let session: ProjectSession;
let fake: ReturnType<typeof fakeAwsLane> | undefined;

beforeAll(async () => {
  dir = await createProject({ shop: { pathPrefix: '/', lanes: { gray: { weight: 0 } } } });
  session = await openProject({ dir });
});
afterAll(async () => {
  session.close();
  await rm(dir, { recursive: true, force: true });
});
afterEach(() => fake?.restore());

const none = () => ({
  lane: { requests: 0, errors: 0, p99: undefined },
  baseline: { requests: 0, errors: 0, p99: undefined },
});

/** One suite, every provider (Hono's runTest): what the contract promises whatever runs the lanes. */
const providers: [string, () => LaneProvider][] = [
  ['local', () => new LocalLaneProvider(session)],
  [
    'aws',
    () => {
      fake = fakeAwsLane(none);
      return new AwsProviderAdapter(fake.options(session.project));
    },
  ],
];

describe.each(providers)('the %s provider', (name, make) => {
  const key = (lane: string): LaneKey => ({ env: 'dev', service: 'shop', lane });

  it('names itself and declares every feature of the contract', () => {
    const provider = make();
    expect(provider.name).toBe(name);
    expect(Object.keys(provider.capabilities).sort()).toEqual([...PROVIDER_FEATURES].sort());
  });

  it('refuses to promote or delete the default lane, with a sentence', async () => {
    const provider = make();
    for (const result of [await provider.promote(key('default')), await provider.delete(key('default'))]) {
      expect(result.type).toBe('refused');
      expect(result.type === 'refused' && result.message).toMatch(/default/);
    }
  });

  it('refuses to route a lane that does not exist, and changes nothing', async () => {
    const provider = make();
    const result = await provider.route('shop', { default: 90, nope: 10 });
    expect(REFUSALS).toContain(result.type);
    const status = await provider.status({ service: 'shop' });
    expect(status.type === 'unsupported' ? [] : status.lanes.map((lane) => lane.name)).not.toContain('nope');
  });

  it('answers status for one service only', async () => {
    const status = await make().status({ service: 'other' });
    expect(status.type === 'unsupported' ? 'unsupported' : status.lanes).toEqual([]);
  });
});
