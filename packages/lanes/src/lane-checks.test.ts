import { describe, expect, it } from 'vitest';
import { parseProject } from './config/parse-project.js';
import { LANES_ERROR_CODES, LanesError } from './errors.js';
import { declaredService, serviceLaneProblem } from './lane-checks.js';

const project = parseProject(
  { services: { shop: { run: { command: ['node', 'shop.js'] } }, cart: { run: { command: ['node', 'cart.js'] } } } },
  { dir: '/proj', file: '/proj/lanes.json', env: 'dev', params: {} },
);

describe('declaredService', () => {
  it('gives the declared service', () => {
    expect(declaredService(project, 'cart').run.command).toEqual(['node', 'cart.js']);
  });

  it('refuses a service the project file no longer declares with a user error that names the file and the services', () => {
    let thrown: unknown;
    try {
      declaredService(project, 'gone');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(LanesError);
    expect(thrown).toMatchObject({ code: LANES_ERROR_CODES.serviceUnknown, fault: 'user' });
    expect((thrown as LanesError).message).toBe('no service "gone" in /proj/lanes.json (services: shop, cart)');
    // The same words as the command line's check.
    expect(serviceLaneProblem(project, 'gone', 'gray')).toBe((thrown as LanesError).message);
  });
});
