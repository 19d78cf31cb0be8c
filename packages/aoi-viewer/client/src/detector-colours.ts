/** One colour per detector, the same on the timeline, in the filters and in the list. */
const KNOWN = {
  'torn-view': '#ff5c5c',
  'delayed-broadcast': '#ffb020',
  adjacency: '#b57bff',
  oscillation: '#3ddbd9',
  'ground-truth': '#8ccf4d',
} as const;

const SPARE = ['#ff7eb6', '#4589ff', '#d2a106', '#08bdba', '#ee5396', '#a56eff'] as const;

/** A detector's colour; names the viewer does not know get a stable one from their hash. */
export function detectorColour(name: string): string {
  const known = (KNOWN as Record<string, string>)[name];
  if (known !== undefined) return known;
  let hash = 0;
  for (let i = 0; i < name.length; i++) hash = (hash * 31 + name.charCodeAt(i)) >>> 0;
  return SPARE[hash % SPARE.length]!;
}
