import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { awsNames } from './aws-names.js';
import { loadProject } from './config/load-project.js';
import { LanesConfigError } from './errors.js';
import { awsNameCollisions, collisionMessage } from './name-collisions.js';

/**
 * Two lanes of service `s` in env `dev` whose hashed target group names meet: same 23-character prefix, and the
 * same first 8 hex digits of SHA-256. Found by search (some 10^5 names), the way such a pair could arise.
 */
let found: [string, string] | undefined;
function hashedTargetGroupPair(): [string, string] {
  found ??= searchPair();
  return found;
}

function searchPair(): [string, string] {
  const seen = new Map<string, string>();
  for (let i = 0; ; i++) {
    const lane = `${'a'.repeat(23)}-${i}`;
    const group = awsNames('dev', 's', lane).targetGroup;
    const other = seen.get(group);
    if (other) return [other, lane];
    seen.set(group, lane);
  }
}

describe('awsNameCollisions', () => {
  it("finds none among issue 12's examples, which used to share names", () => {
    expect(awsNameCollisions('dev', { a: ['dev-b'], 'a-dev': ['b'], cart: ['gray'], 'cart-gray': [] })).toEqual([]);
  });

  it('names both owners when two lanes would share a hashed target group', () => {
    const [first, second] = hashedTargetGroupPair();
    const collisions = awsNameCollisions('dev', { s: [first, second] });
    expect(collisions).toEqual([
      {
        namespace: 'target group',
        name: awsNames('dev', 's', first).targetGroup,
        owners: [
          { service: 's', lane: first },
          { service: 's', lane: second },
        ],
      },
    ]);
    const message = collisionMessage(collisions[0]!);
    expect(message).toContain(`service "s" lane "${first}"`);
    expect(message).toContain(`service "s" lane "${second}"`);
    expect(message).toContain('one deploy would overwrite the other; rename one of the two');
  });
});

describe('loadProject refuses a project whose names would collide on AWS', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lanes-collide-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('in one error that names both lanes, at the second one', async () => {
    const [first, second] = hashedTargetGroupPair();
    const lanes = { [first]: {}, [second]: {} };
    const project = { services: { s: { run: { command: ['node', 's.js'] }, lanes } } };
    await writeFile(join(dir, 'lanes.json'), JSON.stringify(project));
    const error = await loadProject(dir, { env: 'dev' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LanesConfigError);
    const issues = (error as LanesConfigError).issues;
    expect(issues).toHaveLength(1);
    expect(issues[0]?.path).toBe(`services.s.lanes.${second}`);
    expect(issues[0]?.message).toBe(
      `service "s" lane "${second}" would have the target group name "${awsNames('dev', 's', first).targetGroup}", ` +
        `which service "s" lane "${first}" already has: AWS keeps one target group per name, so one deploy would ` +
        'overwrite the other; rename one of the two',
    );
  });

  it('loads the same lanes in env prod, where their target group names differ', async () => {
    const [first, second] = hashedTargetGroupPair();
    const project = { services: { s: { run: { command: ['node', 's.js'] }, lanes: { [first]: {}, [second]: {} } } } };
    await writeFile(join(dir, 'lanes.json'), JSON.stringify(project));
    const loaded = await loadProject(dir, { env: 'prod' });
    expect(Object.keys(loaded.services.s?.lanes ?? {})).toEqual([first, second]);
  });
});
