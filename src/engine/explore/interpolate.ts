// Decoder continuity: the codes on the path between two codes, decoded. Linear for any model;
// spherical (slerp) suits a VAE, whose codes sit near a shell of N(0, I), where the straight line
// between two codes passes through the low-density middle. Beside it, the two ends' pixels mixed
// linearly: the decoder's path morphs a shape, the pixel blend only cross-fades.

import { badInput } from '../../shared/errors';
import { MAX_INTERPOLATION_STEPS } from '../../shared/explorerLimits';
import type { InterpolationEnd, InterpolationMode, InterpolationRequest, InterpolationStrip } from '../../shared/lectureApi';
import { sampleSize, subset } from '../data/dataset';
import { decode } from '../infer/inference';
import type { ExploreSession } from './exploreSession';


/** Spherical interpolation of two vectors at t ∈ [0, 1]; the ends are a and b exactly. */
export function slerp(a: ArrayLike<number>, b: ArrayLike<number>, t: number): Float32Array {
  const n = a.length;
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < n; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  const out = new Float32Array(n);
  const cos = na > 0 && nb > 0 ? Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb))) : 1;
  const omega = Math.acos(cos);
  const sin = Math.sin(omega);
  // Nearly parallel (or a zero vector): the arc is a line to float precision.
  if (sin < 1e-6) {
    for (let i = 0; i < n; i++) out[i] = a[i] + t * (b[i] - a[i]);
    return out;
  }
  const wa = Math.sin((1 - t) * omega) / sin;
  const wb = Math.sin(t * omega) / sin;
  for (let i = 0; i < n; i++) out[i] = wa * a[i] + wb * b[i];
  return out;
}

/** steps × n values along the path from a to b, both ends included. */
export function interpolatePath(a: ArrayLike<number>, b: ArrayLike<number>, steps: number, mode: InterpolationMode): Float32Array {
  if (!Number.isInteger(steps) || steps < 2 || steps > MAX_INTERPOLATION_STEPS) {
    throw badInput(`An interpolation has 2 to ${MAX_INTERPOLATION_STEPS} steps, not ${steps}`);
  }
  if (a.length !== b.length) throw badInput(`Cannot interpolate between ${a.length} and ${b.length} values`);
  const n = a.length;
  const out = new Float32Array(steps * n);
  for (let s = 0; s < steps; s++) {
    const t = s / (steps - 1);
    if (mode === 'spherical') {
      out.set(slerp(a, b, t), s * n);
    } else {
      for (let i = 0; i < n; i++) out[s * n + i] = a[i] + t * (b[i] - a[i]);
    }
  }
  // The ends are the inputs exactly, whatever rounding the weights had.
  for (let i = 0; i < n; i++) {
    out[i] = a[i];
    out[(steps - 1) * n + i] = b[i];
  }
  return out;
}

export async function interpolationStrip(session: ExploreSession, request: InterpolationRequest): Promise<InterpolationStrip> {
  const { latent, codes } = session.snapshot;
  const size = sampleSize(session.data.sampleShape);
  const end = async (e: InterpolationEnd): Promise<{ code: Float32Array; image: Float32Array }> => {
    if (e.kind === 'sample') {
      checkIndex(session, e.index);
      return { code: codes.slice(e.index * latent, (e.index + 1) * latent), image: subset(session.data, [e.index]).x };
    }
    if (e.code.length !== latent) throw badInput(`An interpolation end needs a code of ${latent} values, got ${e.code.length}`);
    return { code: Float32Array.from(e.code), image: await decode(session.checkpoint, Float32Array.from(e.code), 1) };
  };
  const from = await end(request.from);
  const to = await end(request.to);
  const path = interpolatePath(from.code, to.code, request.steps, request.mode);
  const images = await decode(session.checkpoint, path, request.steps);
  // The pixel blend is always linear: spherical mixing of images has no meaning here.
  const blend = interpolatePath(from.image, to.image, request.steps, 'linear');
  if (blend.length !== request.steps * size) throw badInput('The interpolation ends are not images of this dataset');
  return {
    mode: request.mode,
    steps: request.steps,
    sampleShape: session.data.sampleShape,
    codes: path,
    images,
    blend,
    fromImage: from.image,
    toImage: to.image,
  };
}

export function checkIndex(session: ExploreSession, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= session.snapshot.count) {
    throw badInput(`No sample ${index} in this session (it has ${session.snapshot.count})`);
  }
}
