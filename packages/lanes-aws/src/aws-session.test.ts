import { loadProject } from '@lanes/core';
import { describe, expect, it } from 'vitest';
import { synthesizeAppTemplates } from './aws-session.js';

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
