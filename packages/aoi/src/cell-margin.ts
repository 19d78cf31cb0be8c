/** Margin against rounding in `x / cellSize`, so a neighbour at exactly the reach is never one cell too far. */
export const EPS = 2 ** -20;
