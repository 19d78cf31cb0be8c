/**
 * A reference model of how an ALB listener picks a rule for a request, for tests and for explaining routing. It
 * models what AWS documents (see `header-match.ts`) and makes the undocumented parts of regex matching explicit
 * options, so a test can show an outcome does not depend on them.
 */

/** How ALB's regex matching is assumed to behave where AWS does not say. */
export interface AlbRegexAssumptions {
  /** Whether a regex value must match the whole header value (`full`) or anywhere in it (`search`). */
  anchoring: 'full' | 'search';
  /** Whether regex matching respects case. */
  caseSensitive: boolean;
}

/** One http-header condition as CloudFormation declares it. */
export interface AlbHeaderCondition {
  header: string;
  /** Wildcard patterns (`Values`). */
  values?: readonly string[] | undefined;
  /** Regexes (`RegexValues`). */
  regexValues?: readonly string[] | undefined;
}

/** A listener rule: all its conditions must hold (they are ANDed); `target` is where it forwards. */
export interface AlbRule {
  priority: number;
  conditions: readonly AlbHeaderCondition[];
  /** A `source-ip` condition's IPv4 CIDRs: the connecting address must be in one. Absent: any source. */
  sourceIps?: readonly string[] | undefined;
  target: string;
}

function ipv4ToInt(address: string): number {
  const parts = address.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new Error(`not an IPv4 address: ${address}`);
  return parts.reduce((n, p) => n * 256 + p, 0);
}

/** Whether an IPv4 address is in an IPv4 CIDR (the model's `source-ip` condition). */
export function ipv4InCidr(address: string, cidr: string): boolean {
  const [base = '', bits = '32'] = cidr.split('/');
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4ToInt(address) / size) === Math.floor(ipv4ToInt(base) / size);
}

/** A request's header fields by lowercase name, each field in the order it arrived. */
export type AlbRequestHeaders = Readonly<Record<string, readonly string[]>>;

/**
 * ALB's value matching: the whole value against the pattern, `*` any run (also empty), `?` one character, ASCII
 * case-insensitive. Iterative, O(n·m) worst case.
 */
export function albWildcardMatch(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    if (pi < p.length && (p[pi] === '?' || (p[pi] !== '*' && p[pi] === v[vi]))) {
      pi++;
      vi++;
    } else if (pi < p.length && p[pi] === '*') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * ALB's regex matching under the given assumptions, with JavaScript's engine. Valid only for patterns in the subset
 * where ALB's dialect and JavaScript agree (`isPortableRegex`); other patterns throw.
 */
export function albRegexMatch(pattern: string, value: string, assume: AlbRegexAssumptions): boolean {
  if (!isPortableRegex(pattern)) throw new Error(`not in the portable regex subset: ${pattern}`);
  const source = assume.anchoring === 'full' ? `^(?:${pattern})$` : pattern;
  return new RegExp(source, assume.caseSensitive ? '' : 'i').test(value);
}

/**
 * True when a regex uses only `^ $ . ( | ) [ ] {n,}`/`{n,m}`, `\t` and literal characters that are not special:
 * constructs whose meaning PCRE, RE2 and JavaScript share on values without line breaks.
 */
export function isPortableRegex(pattern: string): boolean {
  return /^(?:[A-Za-z0-9 =:;,_\-^$.()|]|\\t|\[(?:[^\]\\]|\\t)+\]|\{\d+,\d*\})*$/.test(pattern);
}

/** Whether a condition matches: ALB searches the header's fields in order until one matches any value. */
export function albConditionMatches(
  condition: AlbHeaderCondition,
  headers: AlbRequestHeaders,
  assume: AlbRegexAssumptions,
): boolean {
  const fields = headers[condition.header.toLowerCase()] ?? [];
  return fields.some(
    (field) =>
      (condition.values ?? []).some((pattern) => albWildcardMatch(pattern, field)) ||
      (condition.regexValues ?? []).some((pattern) => albRegexMatch(pattern, field, assume)),
  );
}

/**
 * Where a listener sends a request: the target of the rule with the lowest priority whose conditions all hold, or
 * `fallback` (the default action) when none does.
 */
export function albRoute(
  rules: readonly AlbRule[],
  headers: AlbRequestHeaders,
  fallback: string,
  assume: AlbRegexAssumptions,
  /** The connecting client's IPv4 address. @default '10.0.0.1' */
  source = '10.0.0.1',
): string {
  const ordered = [...rules].sort((a, b) => a.priority - b.priority);
  const fromSource = (rule: AlbRule) =>
    rule.sourceIps === undefined || rule.sourceIps.some((c) => ipv4InCidr(source, c));
  const hit = ordered.find(
    (rule) => fromSource(rule) && rule.conditions.every((c) => albConditionMatches(c, headers, assume)),
  );
  return hit?.target ?? fallback;
}
