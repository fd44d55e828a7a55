// Image editing in code space. An attribute vector is the mean code of the samples that have an
// attribute minus the mean code of those that do not ("smiling" on the built-in faces, or two lasso
// selections); adding α times it to a code and decoding edits that one image. The average image of
// a set is the mean of its inputs, shown beside the decoder's image of its mean code.

import { badInput } from '../../shared/errors';
import type { AttributeRequest, AttributeVector, AverageImage, SampleSet } from '../../shared/lectureApi';
import type { Factor } from '../../shared/protocol';
import { sampleSize, subset } from '../data/dataset';
import { decode } from '../infer/inference';
import type { ExploreSession } from './exploreSession';
import { checkIndex } from './interpolate';

/** The session indices a set names, ascending and without repeats. */
export function resolveSampleSet(set: SampleSet, factors: readonly Factor[], count: number): Int32Array {
  if (set.kind === 'indices') {
    const seen = new Set<number>();
    for (const i of set.indices) {
      if (!Number.isInteger(i) || i < 0 || i >= count) throw badInput(`No sample ${i} in this session (it has ${count})`);
      seen.add(i);
    }
    return Int32Array.from([...seen].sort((a, b) => a - b));
  }
  const factor = factors.find((f) => f.name === set.factor);
  if (!factor) throw badInput(`This dataset has no factor "${set.factor}" (it has ${factors.map((f) => f.name).join(', ') || 'none'})`);
  const out: number[] = [];
  if (factor.kind === 'category') {
    if (!Number.isInteger(set.value) || set.value < 0 || set.value >= factor.classes.length) {
      throw badInput(`Factor "${factor.name}" has classes 0 to ${factor.classes.length - 1}, not ${set.value}`);
    }
    for (let i = 0; i < count; i++) if (factor.values[i] === set.value) out.push(i);
  } else {
    if (set.value !== 0 && set.value !== 1) throw badInput(`Value factor "${factor.name}" splits at its median: 1 is high, 0 is low, not ${set.value}`);
    const median = medianOf(factor.values.subarray(0, count));
    for (let i = 0; i < count; i++) if ((factor.values[i] >= median) === (set.value === 1)) out.push(i);
  }
  return Int32Array.from(out);
}

/** Mean of the chosen rows of a rows × width matrix, accumulated in doubles. */
export function meanRows(values: Float32Array, width: number, rows: ArrayLike<number>): Float32Array {
  if (rows.length === 0) throw badInput('The mean of no samples is undefined: the set is empty');
  const sum = new Float64Array(width);
  for (let r = 0; r < rows.length; r++) {
    const base = rows[r] * width;
    for (let j = 0; j < width; j++) sum[j] += values[base + j];
  }
  return Float32Array.from(sum, (v) => v / rows.length);
}

/** Indices 0..count-1 that are not in `set` (ascending). */
export function complement(set: Int32Array, count: number): Int32Array {
  const inSet = new Uint8Array(count);
  for (const i of set) inSet[i] = 1;
  const out: number[] = [];
  for (let i = 0; i < count; i++) if (!inSet[i]) out.push(i);
  return Int32Array.from(out);
}

/** mean(codes[with]) − mean(codes[without]), with its length and the codes' typical spread for scale. */
export function attributeVector(codes: Float32Array, latent: number, withRows: Int32Array, withoutRows: Int32Array): AttributeVector {
  if (withRows.length === 0) throw badInput('No sample has the attribute: pick another class or selection');
  if (withoutRows.length === 0) throw badInput('Every sample has the attribute: nothing to contrast it with');
  const a = meanRows(codes, latent, withRows);
  const b = meanRows(codes, latent, withoutRows);
  const vector = Float32Array.from(a, (v, d) => v - b[d]);
  let norm = 0;
  for (const v of vector) norm += v * v;
  return { vector, withCount: withRows.length, withoutCount: withoutRows.length, norm: Math.sqrt(norm), codeSpread: codeSpread(codes, latent) };
}

export function sessionAttributeVector(session: ExploreSession, request: AttributeRequest): AttributeVector {
  const { codes, latent, count, factors } = session.snapshot;
  const withRows = resolveSampleSet(request.with, factors, count);
  const withoutRows = request.without ? resolveSampleSet(request.without, factors, count) : complement(withRows, count);
  const result = attributeVector(codes, latent, withRows, withoutRows);
  if (request.target !== undefined) {
    checkIndex(session, request.target);
    result.targetImage = subset(session.data, [request.target]).x;
  }
  return result;
}

export async function averageImage(session: ExploreSession, set: SampleSet): Promise<AverageImage> {
  const { codes, latent, count, factors } = session.snapshot;
  const rows = resolveSampleSet(set, factors, count);
  if (rows.length === 0) throw badInput('The set is empty: no sample to average');
  const shape = session.data.sampleShape;
  const mean = meanRows(session.data.x, sampleSize(shape), rows);
  const decodedMean = await decode(session.checkpoint, meanRows(codes, latent, rows), 1);
  return { count: rows.length, sampleShape: shape, mean, decodedMean };
}

/** Root mean squared distance of the codes from their mean: how long a "typical" step in code space is. */
function codeSpread(codes: Float32Array, latent: number): number {
  const rows = codes.length / latent;
  if (rows === 0) return 0;
  const centre = meanRows(codes, latent, Int32Array.from({ length: rows }, (_, i) => i));
  let sum = 0;
  for (let i = 0; i < rows; i++) for (let d = 0; d < latent; d++) sum += (codes[i * latent + d] - centre[d]) ** 2;
  return Math.sqrt(sum / rows);
}

function medianOf(values: Float32Array): number {
  const sorted = Float32Array.from(values).sort();
  if (sorted.length === 0) return 0;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
