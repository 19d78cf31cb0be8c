import { readFileSync } from 'node:fs';
import type { HeaderMatchMode } from '@lanes/core';
import { awsNames } from '@lanes/core';
import { extractLane } from '@lanes/trace-context';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, test } from 'vitest';
import { type AlbRegexAssumptions, type AlbRule, albRoute } from './alb-rule-model.js';
import { AppLaneStack } from './app-lane-stack.js';
import { bootExportName } from './exports.js';
import type { HeaderMatchOptions } from './header-match.js';
import { CASE_LANES, CASE_SERVICE, DIFFERENCES, LANE_MATCH_CASES, type LaneMatchCase } from './lane-match-cases.js';
import { lanePriorities, PRIORITY_SLOTS } from './priorities.js';

/** docs/aws.md with every run of whitespace as one space, so wrapped lines still contain the phrases. */
const docs = readFileSync(new URL('../../../../docs/aws.md', import.meta.url), 'utf8').replace(/\s+/g, ' ');

function laneTemplate(
  lane: string,
  mode: HeaderMatchMode,
  service = CASE_SERVICE,
  trustedSources: readonly string[] = [],
): Template {
  const match: HeaderMatchOptions = { carriers: ['tracestate', 'baggage'], mode, ows: true };
  const stack = new AppLaneStack(new App(), `Lane-${lane}`, {
    kind: 'lane',
    match,
    inputs: {
      service,
      env: 'dev',
      lane,
      priorities: lanePriorities(service, lane),
      targetGroupName: awsNames('dev', service, lane).targetGroup,
      trustedSources,
    },
  });
  return Template.fromStack(stack);
}

interface CfnRule {
  Priority: number;
  Conditions: {
    Field: string;
    HttpHeaderConfig?: { HttpHeaderName: string; Values?: string[]; RegexValues?: string[] };
    SourceIpConfig?: { Values: string[] };
  }[];
}

/** The lane's header rules as ALB sees them; the canary rule is left out (its condition is false at weight 0). */
function albRules(template: Template, lane: string): AlbRule[] {
  return Object.values(template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule'))
    .filter((resource) => resource.Condition === undefined)
    .map((resource) => {
      const rule = resource.Properties as CfnRule;
      const sourceIps = rule.Conditions.find((c) => c.Field === 'source-ip')?.SourceIpConfig?.Values;
      const conditions = rule.Conditions.filter((c) => c.Field !== 'source-ip').map((c) => {
        if (c.Field !== 'http-header' || !c.HttpHeaderConfig) throw new Error(`unexpected condition ${c.Field}`);
        const config = c.HttpHeaderConfig;
        return { header: config.HttpHeaderName, values: config.Values, regexValues: config.RegexValues };
      });
      return { priority: rule.Priority, conditions, sourceIps, target: lane };
    });
}

const MODES = ['regex', 'wildcard'] as const;
const listener = Object.fromEntries(
  MODES.map((mode) => [
    mode,
    CASE_LANES.filter((lane) => lane !== 'default').flatMap((lane) => albRules(laneTemplate(lane, mode), lane)),
  ]),
) as Record<HeaderMatchMode, AlbRule[]>;

/** The request's header fields the way ALB sees them: by lowercase name, one entry per field. */
function albHeaders(c: LaneMatchCase): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(c.headers)) out[name] = Array.isArray(value) ? value : [value];
  return out;
}

/**
 * The lane the local gateway picks, as its `LaneSelector` does: `extractLane` over Node's header bag (Node joins
 * repeated fields of these headers with ", "), then `default` for a lane the service does not have.
 */
function gatewayLane(c: LaneMatchCase): string {
  const join = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join(', ') : v);
  const tag = extractLane(
    { tracestate: join(c.headers.tracestate), baggage: join(c.headers.baggage) },
    { carriers: ['tracestate', 'baggage'] },
  );
  return tag && (CASE_LANES as readonly string[]).includes(tag.lane) ? tag.lane : 'default';
}

const ASSUMPTIONS: AlbRegexAssumptions[] = [
  { anchoring: 'full', caseSensitive: true },
  { anchoring: 'search', caseSensitive: true },
  { anchoring: 'full', caseSensitive: false },
  { anchoring: 'search', caseSensitive: false },
];

describe('the shared case table', () => {
  test.each(LANE_MATCH_CASES.map((c) => [c.name, c] as const))('gateway: %s', (_name, c) => {
    expect(gatewayLane(c)).toBe(c.lane);
  });

  test.each(LANE_MATCH_CASES.map((c) => [c.name, c] as const))('ALB regex rules: %s', (_name, c) => {
    for (const assume of ASSUMPTIONS) {
      const differs = c.regex !== undefined && (!c.regex.ifCaseInsensitive || !assume.caseSensitive);
      const expected = differs ? c.regex?.lane : c.lane;
      expect(albRoute(listener.regex, albHeaders(c), 'default', assume), JSON.stringify(assume)).toBe(expected);
    }
  });

  test.each(LANE_MATCH_CASES.map((c) => [c.name, c] as const))('ALB wildcard rules: %s', (_name, c) => {
    const assume = ASSUMPTIONS[0] as AlbRegexAssumptions;
    expect(albRoute(listener.wildcard, albHeaders(c), 'default', assume)).toBe(c.wildcard?.lane ?? c.lane);
  });

  test('docs/aws.md explains every kind of difference and lists every case that differs', () => {
    for (const kind of Object.keys(DIFFERENCES)) expect(docs, kind).toContain(`**${kind}**`);
    for (const c of LANE_MATCH_CASES) {
      if (c.regex || c.wildcard) expect(docs, c.name).toContain(c.name);
    }
  });
});

describe('a lane rule per carrier', () => {
  test('regex: one rule per carrier, RegexValues only, at the bands of the wildcard mode first rules', () => {
    const template = laneTemplate('gray', 'regex');
    const rules = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    const priorities = lanePriorities(CASE_SERVICE, 'gray');
    const band = (slot: (typeof PRIORITY_SLOTS)[number]) => priorities[PRIORITY_SLOTS.indexOf(slot)];
    expect(Object.keys(rules).sort()).toEqual(['BaggageRule', 'CanaryRule', 'TracestateRule']);
    expect(rules.TracestateRule?.Properties.Priority).toBe(band('tracestate'));
    expect(rules.BaggageRule?.Properties.Priority).toBe(band('baggage'));
    expect(rules.CanaryRule?.Properties.Priority).toBe(band('canary'));
    const config = rules.TracestateRule?.Properties.Conditions[0].HttpHeaderConfig;
    expect(config).toEqual({ HttpHeaderName: 'tracestate', RegexValues: [expect.stringContaining('ctx=lane:gray')] });
  });

  test('wildcard: the same logical ids and priorities for the rules both modes have', () => {
    const regex = laneTemplate('gray', 'regex').findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    const wildcard = laneTemplate('gray', 'wildcard').findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    expect(Object.keys(wildcard)).toHaveLength(6);
    for (const [id, rule] of Object.entries(regex)) {
      expect(wildcard[id]?.Properties.Priority, id).toBe(rule.Properties.Priority);
    }
  });

  test('rules forward to the lane target group on the boot routing listener', () => {
    laneTemplate('gray', 'regex').hasResourceProperties('AWS::ElasticLoadBalancingV2::ListenerRule', {
      ListenerArn: { 'Fn::ImportValue': bootExportName('shop', 'dev', 'ListenerArn') },
      Actions: [{ Type: 'forward', TargetGroupArn: { Ref: 'TargetGroup' } }],
    });
  });

  test('the lanes of one service have distinct priorities on the shared listener', () => {
    for (const mode of MODES) {
      const priorities = listener[mode].map((rule) => rule.priority);
      expect(new Set(priorities).size, mode).toBe(priorities.length);
    }
  });

  test('admission: a tagged request reaches the lane from a trusted source only; from elsewhere it is untagged', () => {
    for (const mode of MODES) {
      const trusted = mode === 'regex' ? ['10.0.0.0/8', '192.168.0.0/16'] : ['10.0.0.0/8'];
      const rules = albRules(laneTemplate('gray', mode, CASE_SERVICE, trusted), 'gray');
      const assume = ASSUMPTIONS[0] as AlbRegexAssumptions;
      const tagged: Record<string, string[]>[] = [{ tracestate: ['ctx=lane:gray'] }, { baggage: ['lane=gray'] }];
      for (const headers of tagged) {
        expect(albRoute(rules, headers, 'default', assume, '10.20.30.40'), mode).toBe('gray');
        expect(albRoute(rules, headers, 'default', assume, '203.0.113.7'), mode).toBe('default');
        expect(albRoute(rules, headers, 'default', assume, '192.168.1.1'), mode).toBe(
          mode === 'regex' ? 'gray' : 'default',
        );
      }
    }
  });

  test('the generic template builds the regex from the Lane parameter', () => {
    const app = new App();
    const stack = new AppLaneStack(app, 'Generic', {
      kind: 'lane',
      match: { carriers: ['baggage'], mode: 'regex', ows: true },
    });
    const template = Template.fromStack(stack);
    const rules = template.findResources('AWS::ElasticLoadBalancingV2::ListenerRule');
    const regex = rules.BaggageRule?.Properties.Conditions[0].HttpHeaderConfig.RegexValues[0];
    expect(regex['Fn::Join'][1]).toContainEqual({ Ref: 'Lane' });
  });
});
