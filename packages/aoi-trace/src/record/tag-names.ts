const cache = new WeakMap<readonly string[], Map<number, readonly string[]>>();

/** The names of the bits set in `mask` (bit i is `names[i]`, or `bit<i>` when unnamed). Cached: masks repeat. */
export function tagNamesOf(mask: number, names: readonly string[]): readonly string[] {
  let byMask = cache.get(names);
  if (byMask === undefined) {
    byMask = new Map();
    cache.set(names, byMask);
  }
  let tags = byMask.get(mask);
  if (tags === undefined) {
    const list: string[] = [];
    for (let bit = 0; bit < 32; bit++) if ((mask >>> bit) & 1) list.push(names[bit] ?? `bit${bit}`);
    tags = Object.freeze(list);
    byMask.set(mask, tags);
  }
  return tags;
}

/** The inverse of {@link tagNamesOf}: a mask from names, adding unknown names to `names` (up to 32). */
export function tagMaskOf(tags: readonly string[], names: string[]): number {
  let mask = 0;
  for (const tag of tags) {
    const match = /^bit(\d+)$/.exec(tag);
    let bit = names.indexOf(tag);
    if (bit < 0 && match && Number(match[1]) < 32 && names[Number(match[1])] === undefined) bit = Number(match[1]);
    if (bit < 0 && names.length < 32) bit = names.push(tag) - 1;
    if (bit >= 0) mask |= 1 << bit;
  }
  return mask;
}
