/** Colour index per entity, as renderers take it. */
export const Colour = {
  Watcher: 0,
  Passive: 1,
  Selected: 2,
  InView: 3,
  Highlight: 4,
  DiffA: 5,
  DiffB: 6,
} as const;

/** RGB per colour index (the e2e tests read these back from the screen). */
export const PALETTE: readonly (readonly [number, number, number])[] = [
  [79, 140, 255],
  [154, 160, 166],
  [255, 212, 0],
  [46, 204, 113],
  [255, 140, 0],
  [255, 59, 48],
  [214, 59, 255],
];

export const BACKGROUND: readonly [number, number, number] = [17, 20, 24];

export const css = (index: number, alpha = 1) => {
  const [r, g, b] = PALETTE[index]!;
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
};
