import { type AwsNames, awsNames } from './aws-names.js';
import { DEFAULT_LANE } from './naming.js';

/**
 * The safety net behind `awsNames`: the names of a project's services and lanes, checked pairwise where AWS wants
 * them unique. The `--` separator makes every name but the hashed target group injective, so this should only ever
 * catch two long lanes whose hashed target group names meet; a project that did would have one deploy overwrite
 * another's resources, so it is refused when it is loaded.
 */

/** Who owns a name: the env (its layer), a service (its boot layer and pipeline), or one lane of a service. */
export type NameOwner = { env: string } | { service: string } | { service: string; lane: string };

export interface NameCollision {
  /** Where AWS wants the name unique, e.g. `target group` (per account and region). */
  namespace: string;
  name: string;
  /** The two owners, in the order the project declares them. */
  owners: [NameOwner, NameOwner];
}

type Level = 'env' | 'service' | 'lane';

/** The namespaces in which AWS refuses (or silently shares) a second resource of the same name. */
const NAMESPACES: Record<string, [keyof AwsNames, Level][]> = {
  'CloudFormation stack': [
    ['infraStack', 'env'],
    ['bootStack', 'service'],
    ['appStack', 'lane'],
  ],
  'CloudFormation export': [['serviceArnExport', 'service']],
  'CodePipeline pipeline': [
    ['infraPipeline', 'env'],
    ['bootPipeline', 'env'],
    ['appPipeline', 'service'],
  ],
  'ECR repository': [['repository', 'service']],
  'ECS service': [['ecsService', 'lane']],
  'task definition family': [['taskFamily', 'lane']],
  'target group': [['targetGroup', 'lane']],
  'Cloud Map service': [['cloudMapName', 'lane']],
  'log group': [['logGroup', 'service']],
};

function ownerAt(level: Level, env: string, service: string, lane: string): NameOwner {
  if (level === 'env') return { env };
  // The default lane registers in the service's own Cloud Map service: the service owns that name.
  if (level === 'service' || lane === DEFAULT_LANE) return { service };
  return { service, lane };
}

const ownerKey = (owner: NameOwner) => JSON.stringify(owner);

/** How an owner is named in a message: `service "cart" lane "gray"`. */
export function describeOwner(owner: NameOwner): string {
  if ('env' in owner) return `env "${owner.env}"`;
  if ('lane' in owner) return `service "${owner.service}" lane "${owner.lane}"`;
  return `service "${owner.service}"`;
}

/**
 * Every pair of owners that would share an AWS name in `env`, given each service's lanes (`default` is added).
 * Names must already be valid (`awsNames` throws otherwise).
 */
export function awsNameCollisions(env: string, lanesByService: Record<string, readonly string[]>): NameCollision[] {
  const seen = new Map<string, NameOwner>();
  const collisions: NameCollision[] = [];
  for (const [service, declared] of Object.entries(lanesByService)) {
    const lanes = [DEFAULT_LANE, ...declared.filter((lane) => lane !== DEFAULT_LANE)];
    for (const lane of lanes) {
      const names = awsNames(env, service, lane);
      for (const [namespace, fields] of Object.entries(NAMESPACES)) {
        for (const [field, level] of fields) {
          const owner = ownerAt(level, env, service, lane);
          const key = `${namespace}\n${names[field]}`;
          const first = seen.get(key);
          if (!first) seen.set(key, owner);
          else if (ownerKey(first) !== ownerKey(owner)) {
            collisions.push({ namespace, name: names[field], owners: [first, owner] });
          }
        }
      }
    }
  }
  return collisions;
}

/** One sentence naming both owners and what to do. */
export function collisionMessage(collision: NameCollision): string {
  const [first, second] = collision.owners;
  return (
    `${describeOwner(second)} would have the ${collision.namespace} name "${collision.name}", which ` +
    `${describeOwner(first)} already has: AWS keeps one ${collision.namespace} per name, so one deploy would ` +
    'overwrite the other; rename one of the two'
  );
}
