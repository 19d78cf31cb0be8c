import { loadProject } from '@lanes/core';
import { describe, expect, it } from 'vitest';
import { synthesizeAppTemplates } from './aws-session.js';
import { laneEnvironment } from './synth/lane-revision.js';

const EXAMPLE = new URL('../../../examples/shop/', import.meta.url).pathname;

describe('synthesizeAppTemplates', () => {
  it('gives the default lane its own template and every other lane the lane template', async () => {
    const templates = await synthesizeAppTemplates(await loadProject(EXAMPLE));
    const defaultLane = JSON.parse(templates.app('shop', 'default', {})) as { Parameters: Record<string, unknown> };
    const gray = JSON.parse(templates.app('shop', 'gray', {})) as { Parameters: Record<string, unknown> };
    expect(Object.keys(gray.Parameters)).toEqual(expect.arrayContaining(['Lane', 'RulePriorities', 'ImageUri']));
    expect(Object.keys(defaultLane.Parameters)).not.toContain('RulePriorities');
    expect(templates.app('cart', 'pr-1', {})).toBe(templates.app('shop', 'gray', {}));
  }, 60_000);
});

describe('the synthesized app templates carry a revision', () => {
  it("writes the lane's run.env into the task definition container, after the template's own variables", async () => {
    const project = await loadProject(EXAMPLE);
    const templates = await synthesizeAppTemplates(project);
    const gray = JSON.parse(templates.app('cart', 'gray', laneEnvironment(project, 'cart', 'gray'))) as {
      Parameters: Record<string, unknown>;
      Resources: { TaskDefinition: { Properties: { ContainerDefinitions: { Environment: { Name: string }[] }[] } } };
    };
    const environment = gray.Resources.TaskDefinition.Properties.ContainerDefinitions[0]!.Environment;
    expect(environment).toEqual(
      expect.arrayContaining([
        { Name: 'VERSION', Value: '1.1.0-rc' },
        { Name: 'PORT', Value: '8080' },
      ]),
    );
    expect(environment.map((e) => e.Name).slice(0, 3)).toEqual(['LANES_SERVICE', 'LANES_ENV', 'LANES_LANE']);
    expect(Object.keys(gray.Parameters)).toEqual(
      expect.arrayContaining(['Environment', 'PreviousImageUri', 'PreviousEnvironment']),
    );
  }, 60_000);
});
