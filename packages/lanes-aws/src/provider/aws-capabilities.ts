import type { ProviderCapabilities } from '@lanes/core';

/**
 * What the aws provider does; each refusal is the sentence users see (docs/cli.md, "Providers", has the same
 * table, and a test holds the two together). `<env>`, `<service>` and `<lane>` are filled in when printed.
 */
export const AWS_CAPABILITIES: ProviderCapabilities = {
  deploy: true,
  'deploy --set': true,
  'deploy --command':
    "--command changes one local revision's command; on aws the container runs its image's command: build it into the image",
  'deploy --cwd':
    "--cwd changes one local revision's folder; on aws the container runs in its image's WORKDIR: set it in the Dockerfile",
  'deploy --label': true,
  'deploy --image': true,
  'deploy --replicas':
    "--replicas is a local setting; on aws a lane's task count is the stack parameter DesiredCount: set it in params/<service>-<env>.json",
  'deploy --weight':
    '--weight is a local setting; on aws a new lane starts with CanaryWeight 0: give it traffic after the deploy with lanes route --provider aws',
  'deploy --ttl':
    '--ttl is kept in the local state database, which lanes gc reads; on aws delete a lane with lanes delete --provider aws',
  route: true,
  promote: true,
  'promote --analyze': true,
  'promote --analyze (analysis block)':
    "the service's analysis block reads counters from every replica's metricsPath, which the CLI cannot reach on aws (tasks run in private subnets): analyze it locally, or without the block",
  rollback: true,
  delete: true,
  status: true,
  'status --service': true,
  logs: "lanes logs reads the replicas' log files, which exist only locally; on aws a lane's logs are in CloudWatch Logs: aws logs tail /ecs/<env>/<service> --log-stream-name-prefix <lane>/ --follow",
  'logs --follow':
    "lanes logs reads the replicas' log files, which exist only locally; on aws a lane's logs are in CloudWatch Logs: aws logs tail /ecs/<env>/<service> --log-stream-name-prefix <lane>/ --follow",
};
