// The map features' engine requests on an open explorer session: nearest neighbours in code space,
// decode anywhere on a map, chosen samples reconstructed (click-through), the trust overlay and the
// comparison with another checkpoint. Each checks what it is asked, then calls the pure module that
// does the work (neighbours.ts, trust.ts, compare.ts).

import type { ReconstructionSet } from '../../shared/reconstructionSet';
import { badInput } from '../../shared/errors';
import { MAX_DECODE_POINTS, MAX_RECONSTRUCT_SAMPLES } from '../../shared/explorerLimits';
import type { CheckpointComparison, DecodedAt, NeighbourList, TrustReport } from '../../shared/mapApi';
import type { ProjectionMethod } from '../../shared/protocol';
import { subset } from '../data/dataset';
import { decode, reconstruct } from '../infer/inference';
import { invertProcrustes } from '../project/procrustes';
import { compareCheckpoints } from './compare';
import type { ExploreSession } from './exploreSession';
import { codesAtLayoutPoints, codesAtPcaPoints, nearestInCodeSpace } from './neighbours';
import { mapTrust } from './trust';

/** Samples blended for a UMAP decode when the caller does not say. */
export const DEFAULT_DECODE_K = 8;

export function neighbours(session: ExploreSession, index: number, k: number): NeighbourList {
  const { codes, count, latent } = session.snapshot;
  return { index, ...nearestInCodeSpace(codes, count, latent, index, k) };
}

export async function decodeAt(session: ExploreSession, method: ProjectionMethod, points: Float32Array, count: number, k = DEFAULT_DECODE_K): Promise<DecodedAt> {
  if (!Number.isInteger(count) || count < 1 || count > MAX_DECODE_POINTS) throw badInput(`Decode: from 1 to ${MAX_DECODE_POINTS} points, got ${count}`);
  const { snapshot } = session;
  let codes: Float32Array;
  let used: Int32Array | undefined;
  if (method === 'pca') {
    // A timeline map is the PCA map moved onto its reference's: undo that move, then invert the PCA.
    const own = session.pcaAlignment ? invertProcrustes(session.pcaAlignment, points, count) : points;
    codes = codesAtPcaPoints(session.pcaModel, own, count);
  } else if (method === 'umap') {
    const layout = mapLayout(session, 'umap');
    ({ codes, neighbours: used } = codesAtLayoutPoints(snapshot.codes, layout, snapshot.count, snapshot.latent, points, count, k));
  } else {
    throw badInput(`Unknown map '${String(method)}': use 'pca' or 'umap'`);
  }
  const images = await decode(session.checkpoint, codes, count);
  return { method, count, codes, images, sampleShape: snapshot.sampleShape, ...(used ? { neighbours: used } : {}) };
}

export async function reconstructSamples(session: ExploreSession, indices: number[]): Promise<ReconstructionSet> {
  if (indices.length < 1 || indices.length > MAX_RECONSTRUCT_SAMPLES) throw badInput(`Reconstruct: from 1 to ${MAX_RECONSTRUCT_SAMPLES} samples, got ${indices.length}`);
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= session.snapshot.count) throw badInput(`No sample ${i} in this session`);
  }
  const picked = subset(session.data, indices);
  const result = await reconstruct(session.checkpoint, picked.x, picked.count);
  return { indices: Int32Array.from(indices), sampleShape: picked.sampleShape, originals: picked.x, reconstructions: result.reconstructions, errors: result.errors };
}

export function trust(session: ExploreSession, method: ProjectionMethod, k: number): TrustReport {
  const { codes, count, latent } = session.snapshot;
  return mapTrust(method, codes, mapLayout(session, method), count, latent, k);
}

export function compare(session: ExploreSession, checkpoint: string, count: number): Promise<CheckpointComparison> {
  return compareCheckpoints({ model: session.checkpoint, data: session.data, snapshot: session.snapshot }, checkpoint, count);
}

function mapLayout(session: ExploreSession, method: ProjectionMethod): Float32Array {
  if (method === 'pca') return session.snapshot.pca.points;
  const layout = session.layouts.umap;
  if (!layout) throw badInput('The UMAP map is not ready yet: wait for its final layout');
  return layout;
}
