// The decoder grid as one image: steps × steps cells of the sample's pixel size with a gap between
// them, and the inverse (which cell a pixel is in). DOM-free.

export interface GridGeometry {
  steps: number;
  cellWidth: number;
  cellHeight: number;
  gap: number;
  /** Whole image in pixels. */
  width: number;
  height: number;
}

export function gridGeometry(steps: number, cellWidth: number, cellHeight: number): GridGeometry {
  // A gap of about a tenth of a cell, at least one pixel: cells read as separate images.
  const gap = Math.max(1, Math.round(Math.min(cellWidth, cellHeight) / 10));
  return {
    steps,
    cellWidth,
    cellHeight,
    gap,
    width: steps * cellWidth + (steps - 1) * gap,
    height: steps * cellHeight + (steps - 1) * gap,
  };
}

/** Top-left pixel of cell (row, col). */
export function cellOrigin(g: GridGeometry, row: number, col: number): { x: number; y: number } {
  return { x: col * (g.cellWidth + g.gap), y: row * (g.cellHeight + g.gap) };
}

/** The cell at image pixel (x, y) (a gap counts as the cell before it), or undefined outside. */
export function cellAt(g: GridGeometry, x: number, y: number): { row: number; col: number } | undefined {
  if (!(x >= 0 && y >= 0 && x < g.width && y < g.height)) return undefined;
  const col = Math.min(g.steps - 1, Math.floor(x / (g.cellWidth + g.gap)));
  const row = Math.min(g.steps - 1, Math.floor(y / (g.cellHeight + g.gap)));
  return { row, col };
}
