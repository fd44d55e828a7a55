// Drawing for the generated datasets: shapes are signed distance functions in a [-1, 1] square, and
// a pixel's coverage comes from the distance at its centre. That anti-aliases like supersampling
// at the cost of one evaluation per pixel, so 10,000 images take a fraction of a second.

/** Distance from a point to a shape's edge: negative inside, positive outside. */
export type DistanceFn = (x: number, y: number) => number;

/** Fraction of a pixel of side `pixel` covered by a shape whose edge is `distance` from its centre. */
export function coverage(distance: number, pixel: number): number {
  const c = 0.5 - distance / pixel;
  return c <= 0 ? 0 : c >= 1 ? 1 : c;
}

/**
 * Paints `shape` with brightness `value` over a size×size greyscale image, only inside the box
 * [minX, maxX]×[minY, maxY] (in [-1, 1] coordinates, y down) where the shape can reach.
 */
export function paint(
  image: Float32Array,
  offset: number,
  size: number,
  shape: DistanceFn,
  value: number,
  box: readonly [minX: number, minY: number, maxX: number, maxY: number] = [-1, -1, 1, 1],
): void {
  const pixel = 2 / size;
  const [c0, r0] = [toPixel(box[0] - pixel, size), toPixel(box[1] - pixel, size)];
  const [c1, r1] = [toPixel(box[2] + pixel, size), toPixel(box[3] + pixel, size)];
  for (let r = r0; r <= r1; r++) {
    const y = (r + 0.5) * pixel - 1;
    for (let c = c0; c <= c1; c++) {
      const a = coverage(shape((c + 0.5) * pixel - 1, y), pixel);
      if (a > 0) {
        const i = offset + r * size + c;
        image[i] += (value - image[i]) * a;
      }
    }
  }
}

function toPixel(coordinate: number, size: number): number {
  return Math.min(size - 1, Math.max(0, Math.floor(((coordinate + 1) / 2) * size)));
}

export function circleDistance(x: number, y: number, radius: number): number {
  return Math.sqrt(x * x + y * y) - radius;
}

/** Axis-aligned square of half side `half`, centred on the origin. */
export function squareDistance(x: number, y: number, half: number): number {
  const qx = Math.abs(x) - half;
  const qy = Math.abs(y) - half;
  const ox = Math.max(qx, 0);
  const oy = Math.max(qy, 0);
  return Math.sqrt(ox * ox + oy * oy) + Math.min(Math.max(qx, qy), 0);
}

const SQRT3 = Math.sqrt(3);

/** Equilateral triangle with circumradius `radius` around its centroid, apex up (towards -y). */
export function triangleDistance(x: number, y: number, radius: number): number {
  // Inigo Quilez's exact equilateral-triangle distance, written for y up, so flip y.
  const half = (radius * SQRT3) / 2;
  let px = Math.abs(x) - half;
  let py = -y + half / SQRT3;
  if (px + SQRT3 * py > 0) [px, py] = [(px - SQRT3 * py) / 2, (-SQRT3 * px - py) / 2];
  px -= Math.min(Math.max(px, -2 * half), 0);
  return -Math.sqrt(px * px + py * py) * Math.sign(py);
}

/** Axis-aligned ellipse with radii rx, ry: a first-order distance, exact on the edge, which is all coverage needs. */
export function ellipseDistance(x: number, y: number, rx: number, ry: number): number {
  const ax = x / rx;
  const ay = y / ry;
  const bx = ax / rx;
  const by = ay / ry;
  const k0 = Math.sqrt(ax * ax + ay * ay);
  const k1 = Math.sqrt(bx * bx + by * by);
  return k1 === 0 ? -Math.min(rx, ry) : (k0 * (k0 - 1)) / k1;
}

/** Distance to the segment (ax, ay)–(bx, by), a line of zero width: subtract half a stroke's width. */
export function segmentDistance(x: number, y: number, ax: number, ay: number, bx: number, by: number): number {
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const t = length2 === 0 ? 0 : Math.min(1, Math.max(0, ((x - ax) * dx + (y - ay) * dy) / length2));
  const ex = x - ax - t * dx;
  const ey = y - ay - t * dy;
  return Math.sqrt(ex * ex + ey * ey);
}
