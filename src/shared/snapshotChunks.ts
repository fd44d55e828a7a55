// A session's per-sample arrays (codes, labels, errors, the PCA map…) travel in chunks, not in one
// message: `explore/open` answers with a header (everything else, and how many samples), and the page
// pulls the rows in slices of at most CHUNK_BYTES through the host (`explorer/chunk` → `explore/chunk`).
// At a million samples that is ~80 messages of 1 MB instead of one of 80 MB, which neither the engine's
// IPC nor a webview's postMessage copies comfortably, and the page fills arrays allocated once.
// The PCA map's positions go ahead in the header when they fit in one chunk's budget (up to 131,072
// samples, all of MNIST at the default cap): the page draws every sample's place at once and fills in
// the rest as chunks land. Above that each chunk carries its samples' positions, and the map grows.
// Pure data, no I/O: the engine cuts chunks, the page (and tests) put them back together.

import type { ExploreSnapshot, SnapshotChunk, SnapshotHeader } from './engineApi';
import { badInput } from './errors';
import type { Factor } from './protocol';

/** Most bytes of sample data one chunk carries (a chunk always carries at least one sample). */
const CHUNK_BYTES = 1 << 20;

/** Whether a session of `count` samples sends its PCA positions in the header (x, y as float32 each). */
function positionsFitAhead(count: number): boolean {
  return count * 2 * 4 <= CHUNK_BYTES;
}

/** The header of `snapshot`; `positionsAhead` is for tests of either path (the default is what fits). */
export function snapshotHeader(snapshot: ExploreSnapshot, positionsAhead = positionsFitAhead(snapshot.count)): SnapshotHeader {
  const { datasetIndices: _indices, codes: _codes, logVar, errors: _errors, pca, factors, ...rest } = snapshot;
  const { points, ...projection } = pca;
  return {
    ...rest,
    pca: projection,
    ...(positionsAhead ? { pcaPoints: points.slice(0, snapshot.count * 2) } : {}),
    factors: factors.map((f) => (f.kind === 'category' ? { name: f.name, kind: f.kind, classes: f.classes } : { name: f.name, kind: f.kind })),
    logVar: logVar !== undefined,
  };
}

/** Samples per chunk: as many whole samples as fit in CHUNK_BYTES. */
function chunkRows(snapshot: Pick<ExploreSnapshot, 'latent' | 'factors'> & { logVar?: unknown }, positions: boolean): number {
  const floatsPerSample = 1 + snapshot.latent * (snapshot.logVar ? 2 : 1) + 1 + (positions ? 2 : 0) + snapshot.factors.length;
  return Math.max(1, Math.floor(CHUNK_BYTES / (4 * floatsPerSample)));
}

/**
 * The chunk starting at `offset`, with its samples' positions when the header went without them.
 * Copies (slice, not subarray): a view would carry its whole buffer across structured clone and the
 * V8 serializer, which is the one big message this avoids.
 */
export function snapshotChunk(snapshot: ExploreSnapshot, offset: number, positions = !positionsFitAhead(snapshot.count)): SnapshotChunk {
  const { count, latent } = snapshot;
  if (!Number.isInteger(offset) || offset < 0 || offset >= count) throw badInput(`No sample ${offset} in a session of ${count}`);
  const end = Math.min(count, offset + chunkRows(snapshot, positions));
  return {
    sessionId: snapshot.sessionId,
    offset,
    count: end - offset,
    datasetIndices: snapshot.datasetIndices.slice(offset, end),
    codes: snapshot.codes.slice(offset * latent, end * latent),
    ...(snapshot.logVar ? { logVar: snapshot.logVar.slice(offset * latent, end * latent) } : {}),
    errors: snapshot.errors.slice(offset, end),
    ...(positions ? { pcaPoints: snapshot.pca.points.slice(offset * 2, end * 2) } : {}),
    factors: snapshot.factors.map((f) => f.values.slice(offset, end)),
  };
}

/** Fills a session's arrays, allocated once from the header, as its chunks arrive in order. */
export class SnapshotAssembler {
  private readonly arrays: Pick<ExploreSnapshot, 'datasetIndices' | 'codes' | 'logVar' | 'errors' | 'factors'> & { pcaPoints: Float32Array };
  /** Samples received so far: the offset of the next chunk. */
  received = 0;

  constructor(readonly header: SnapshotHeader) {
    const { count, latent } = header;
    this.arrays = {
      datasetIndices: new Int32Array(count),
      codes: new Float32Array(count * latent),
      ...(header.logVar ? { logVar: new Float32Array(count * latent) } : {}),
      errors: new Float32Array(count),
      pcaPoints: header.pcaPoints ?? new Float32Array(count * 2),
      factors: header.factors.map(
        (f): Factor => (f.kind === 'category' ? { name: f.name, kind: 'category', classes: f.classes ?? [], values: new Int32Array(count) } : { name: f.name, kind: 'value', values: new Float32Array(count) }),
      ),
    };
  }

  /** The PCA map's positions (x, y per sample): the first `placed` samples' are in, the rest zeros. */
  get pcaPoints(): Float32Array {
    return this.arrays.pcaPoints;
  }

  /** Samples whose positions are in: all of them when the header brought them, else those received. */
  get placed(): number {
    return this.header.pcaPoints ? this.header.count : this.received;
  }

  get complete(): boolean {
    return this.received >= this.header.count;
  }

  /** Takes the next chunk; one out of order, of another session or of the wrong size is refused. */
  add(chunk: SnapshotChunk): void {
    const { count, latent, sessionId } = this.header;
    if (chunk.sessionId !== sessionId) throw new Error(`A chunk of session ${chunk.sessionId} arrived for ${sessionId}`);
    if (chunk.offset !== this.received || chunk.count < 1 || chunk.offset + chunk.count > count) {
      throw new Error(`Expected samples from ${this.received}, got ${chunk.count} from ${chunk.offset}`);
    }
    const a = this.arrays;
    const n = chunk.count;
    const sized = (array: ArrayLike<number> | undefined, width: number): boolean => array?.length === n * width;
    if (!sized(chunk.datasetIndices, 1) || !sized(chunk.codes, latent) || !sized(chunk.errors, 1)) {
      throw new Error(`A chunk of ${n} samples with arrays of the wrong length`);
    }
    const positions = this.header.pcaPoints ? undefined : chunk.pcaPoints;
    if (!this.header.pcaPoints && !sized(positions, 2)) throw new Error(`A chunk of ${n} samples without their positions (the header had none)`);
    if (a.logVar && !sized(chunk.logVar, latent)) throw new Error(`A chunk of ${n} samples without their log-variances`);
    if (chunk.factors.length !== a.factors.length || chunk.factors.some((values) => values.length !== n)) throw new Error(`A chunk of ${n} samples with the wrong factors`);
    a.datasetIndices.set(chunk.datasetIndices, chunk.offset);
    a.codes.set(chunk.codes, chunk.offset * latent);
    if (a.logVar && chunk.logVar) a.logVar.set(chunk.logVar, chunk.offset * latent);
    a.errors.set(chunk.errors, chunk.offset);
    if (positions) a.pcaPoints.set(positions, chunk.offset * 2);
    a.factors.forEach((factor, i) => factor.values.set(chunk.factors[i], chunk.offset));
    this.received += n;
  }

  /** The whole snapshot, once every chunk is in. */
  snapshot(): ExploreSnapshot {
    if (!this.complete) throw new Error(`Only ${this.received} of ${this.header.count} samples have arrived`);
    const { logVar: _hasLogVar, pca, factors: _summaries, pcaPoints: _ahead, ...rest } = this.header;
    const { pcaPoints, ...arrays } = this.arrays;
    return { ...rest, ...arrays, pca: { ...pca, points: pcaPoints } };
  }
}
