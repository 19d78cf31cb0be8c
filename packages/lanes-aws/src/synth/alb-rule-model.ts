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
  target: string;
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
): string {
  const ordered = [...rules].sort((a, b) => a.priority - b.priority);
  const hit = ordered.find((rule) => rule.conditions.every((c) => albConditionMatches(c, headers, assume)));
  return hit?.target ?? fallback;
}
