// Orthogonal Procrustes in 2-D: the rotation (or reflection), uniform scale and shift that lay one
// map over another as closely as possible in least squares, so two checkpoints' PCA maps of the same
// samples can be compared point for point. PCA axes are only defined up to sign and order of nearly
// equal variances, so a reflection is allowed: both the best rotation and the best rotation of the
// mirrored map are solved in closed form and the closer one is kept.
//
// For centred maps A (target) and B (source), the best rotation angle θ maximises
// Σ aᵢ·R(θ)bᵢ, which gives θ = atan2(Σ (bx·ay − by·ax), Σ (bx·ax + by·ay)); the scale is then
// Σ aᵢ·R(θ)bᵢ / Σ |bᵢ|².

import { badInput } from '../../shared/errors';

export interface Procrustes2d {
  /** Row-major 2 × 2 matrix applied to a centred source point: p' = scale · M · (p − sourceMean) + targetMean. */
  matrix: [number, number, number, number];
  scale: number;
  reflected: boolean;
  sourceMean: [number, number];
  targetMean: [number, number];
  /** Root mean squared distance between target and aligned source points. */
  rmsd: number;
}

/** Fits source (count × 2) onto target (count × 2); both row-major, same sample order. */
export function fitProcrustes(target: Float32Array, source: Float32Array, count: number, options: { allowScale?: boolean } = {}): Procrustes2d {
  if (!Number.isInteger(count) || count < 2) throw badInput(`Procrustes needs at least 2 points, got ${count}`);
  if (target.length !== count * 2 || source.length !== count * 2) {
    throw badInput(`Procrustes expected two maps of ${count} × 2 values, got ${target.length} and ${source.length}`);
  }
  const targetMean = mean2(target, count);
  const sourceMean = mean2(source, count);
  let sxx = 0; // Σ bx·ax
  let syy = 0; // Σ by·ay
  let sxy = 0; // Σ bx·ay
  let syx = 0; // Σ by·ax
  let norm = 0; // Σ |b|²
  for (let i = 0; i < count; i++) {
    const ax = target[2 * i] - targetMean[0];
    const ay = target[2 * i + 1] - targetMean[1];
    const bx = source[2 * i] - sourceMean[0];
    const by = source[2 * i + 1] - sourceMean[1];
    if (![ax, ay, bx, by].every(Number.isFinite)) throw badInput(`Procrustes input has a non-finite value at point ${i}`);
    sxx += bx * ax;
    syy += by * ay;
    sxy += bx * ay;
    syx += by * ax;
    norm += bx * bx + by * by;
  }
  // Rotation: M = [c −s; s c]; Σ a·Mb = c(sxx + syy) + s(sxy − syx).
  const rotationFit = Math.hypot(sxx + syy, sxy - syx);
  // Mirror first (b → (bx, −by)), then rotate: M = [c s; s −c]; Σ a·Mb = c(sxx − syy) + s(sxy + syx).
  const reflectionFit = Math.hypot(sxx - syy, sxy + syx);
  const reflected = reflectionFit > rotationFit * (1 + 1e-12);
  let matrix: [number, number, number, number];
  if (!reflected) {
    const theta = Math.atan2(sxy - syx, sxx + syy);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    matrix = [c, -s, s, c];
  } else {
    const theta = Math.atan2(sxy + syx, sxx - syy);
    const c = Math.cos(theta);
    const s = Math.sin(theta);
    matrix = [c, s, s, -c];
  }
  const fit = reflected ? reflectionFit : rotationFit;
  const scale = options.allowScale === false || norm === 0 ? 1 : fit / norm;
  const partial: Omit<Procrustes2d, 'rmsd'> = { matrix, scale, reflected, sourceMean, targetMean };
  const aligned = applyProcrustes(partial, source, count);
  let squared = 0;
  for (let i = 0; i < count * 2; i++) squared += (aligned[i] - target[i]) ** 2;
  return { ...partial, rmsd: Math.sqrt(squared / count) };
}

/** Maps count × 2 source points through a fitted transform. */
export function applyProcrustes(fit: Omit<Procrustes2d, 'rmsd'>, points: Float32Array, count: number): Float32Array {
  const [m00, m01, m10, m11] = fit.matrix;
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const x = points[2 * i] - fit.sourceMean[0];
    const y = points[2 * i + 1] - fit.sourceMean[1];
    out[2 * i] = fit.scale * (m00 * x + m01 * y) + fit.targetMean[0];
    out[2 * i + 1] = fit.scale * (m10 * x + m11 * y) + fit.targetMean[1];
  }
  return out;
}

/** The source map's points that a fitted transform sends to `points`: the transform undone. */
export function invertProcrustes(fit: Omit<Procrustes2d, 'rmsd'>, points: Float32Array, count: number): Float32Array {
  const [m00, m01, m10, m11] = fit.matrix;
  // M is orthogonal (a rotation, or a rotation of a mirror), so its inverse is its transpose.
  const inverseScale = fit.scale === 0 ? 1 : 1 / fit.scale;
  const out = new Float32Array(count * 2);
  for (let i = 0; i < count; i++) {
    const x = (points[2 * i] - fit.targetMean[0]) * inverseScale;
    const y = (points[2 * i + 1] - fit.targetMean[1]) * inverseScale;
    out[2 * i] = m00 * x + m10 * y + fit.sourceMean[0];
    out[2 * i + 1] = m01 * x + m11 * y + fit.sourceMean[1];
  }
  return out;
}

function mean2(points: Float32Array, count: number): [number, number] {
  let x = 0;
  let y = 0;
  for (let i = 0; i < count; i++) {
    x += points[2 * i];
    y += points[2 * i + 1];
  }
  return [x / count, y / count];
}
