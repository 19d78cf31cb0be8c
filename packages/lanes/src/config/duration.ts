/** Milliseconds per unit, largest first: the order units must appear in (`1h30m`, not `30m1h`). */
const UNITS = [
  ['w', 604_800_000],
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
  ['ms', 1],
] as const;

const PART = /(\d+)(ms|[wdhms])/y;

/**
 * Milliseconds in a duration such as `30m`, `12h`, `7d` or `1h30m` (units `w`, `d`, `h`, `m`, `s`, `ms`, each at most
 * once, largest first), or `undefined` when `text` is not one. A bare number is refused because its unit would be a
 * guess. Used for a lane's `ttl` and for `lanes gc --older-than`.
 */
export function parseDuration(text: string): number | undefined {
  if (text === '') return undefined;
  let total = 0;
  let nextUnit = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < text.length) {
    const match = PART.exec(text);
    if (!match) return undefined;
    const index = UNITS.findIndex(([unit]) => unit === match[2]);
    const unit = UNITS[index];
    if (unit === undefined || index < nextUnit) return undefined;
    nextUnit = index + 1;
    total += Number(match[1]) * unit[1];
  }
  return Number.isSafeInteger(total) ? total : undefined;
}
