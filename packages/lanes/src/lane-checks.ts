import { LANES_ERROR_CODES, LanesError } from './errors.js';
import type { Project, ServiceModel } from './model.js';
import { laneNameProblem } from './naming.js';

/** Why `<service> <lane>` given on a command line cannot be used with this project, or undefined. */
export function serviceLaneProblem(project: Project, service: string, lane: string): string | undefined {
  if (!project.services[service]) return unknownServiceMessage(project, service);
  if (lane === 'default') return undefined;
  return laneNameProblem(lane, { service, env: project.env });
}

/**
 * The declared service `name`, for operations whose lane key was checked on the way in (serviceLaneProblem) or
 * comes from the state database: a service missing here was removed from the project file since.
 */
export function declaredService(project: Project, name: string): ServiceModel {
  const service = project.services[name];
  if (service === undefined) {
    throw new LanesError(LANES_ERROR_CODES.serviceUnknown, unknownServiceMessage(project, name), 'user');
  }
  return service;
}

function unknownServiceMessage(project: Project, service: string): string {
  const known = Object.keys(project.services).join(', ');
  return `no service "${service}" in ${project.file} (services: ${known})`;
}
