import type { Project } from './model.js';
import { laneNameProblem } from './naming.js';

/** Why `<service> <lane>` given on a command line cannot be used with this project, or undefined. */
export function serviceLaneProblem(project: Project, service: string, lane: string): string | undefined {
  if (!project.services[service]) {
    const known = Object.keys(project.services).join(', ');
    return `no service "${service}" in ${project.file} (services: ${known})`;
  }
  if (lane === 'default') return undefined;
  return laneNameProblem(lane, { service, env: project.env });
}
