// One part's share of an epoch of UMAP's layout optimisation when the points are split in parts
// that run side by side (partLayout.ts; a worker thread each, layoutWorker.ts). A part owns some
// points and the edges whose head (the end that negative samples push) is among them.
// During an epoch it reads and writes its own points live, and reads every other point (and every
// negative sample) as it was when the epoch began (`snapshot`); what it moves of another part's
// points it adds to `deferred`, applied between epochs. So no two threads write the same value and nothing depends on their
// timing: the same seed gives the same layout whether the parts run in threads or one after another.
// Within a part the arithmetic is layoutOptimizer.ts's, with the random stream (mulberry32, as
// random.ts) kept in a local variable.

import { makePower } from './fastPow';

const CLIP = 4;
const NEGATIVE_SAMPLE_RATE = 5;

/** Everything a part needs; the Float64Arrays `live`, `snapshot` and `deferred` are rows × 2. */
export interface LayoutPartInit {
  rows: number;
  epochs: number;
  a: number;
  b: number;
  /** The points this part owns: [from, to). */
  from: number;
  to: number;
  /** This part's edges. */
  head: Int32Array;
  tail: Int32Array;
  epochsPerSample: Float64Array;
  /**
   * The part's running state, in shared memory so either thread can run its next epoch: when each
   * edge is next sampled and next negatively sampled, and its random stream's 32-bit state (one entry).
   */
  nextSample: Float64Array;
  nextNegative: Float64Array;
  random: Uint32Array;
  live: Float64Array;
  snapshot: Float64Array;
  deferred: Float64Array;
}

/** A part's starting state for these edges and a 32-bit seed, in shared memory. */
export function startingState(epochsPerSample: Float64Array, seed: number): Pick<LayoutPartInit, 'nextSample' | 'nextNegative' | 'random'> {
  const shared = (length: number): Float64Array => new Float64Array(new SharedArrayBuffer(length * Float64Array.BYTES_PER_ELEMENT));
  const nextSample = shared(epochsPerSample.length);
  const nextNegative = shared(epochsPerSample.length);
  for (let e = 0; e < epochsPerSample.length; e++) {
    nextSample[e] = epochsPerSample[e];
    nextNegative[e] = epochsPerSample[e] / NEGATIVE_SAMPLE_RATE;
  }
  const random = new Uint32Array(new SharedArrayBuffer(Uint32Array.BYTES_PER_ELEMENT));
  random[0] = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  return { nextSample, nextNegative, random };
}

export class LayoutPart {
  private readonly perNegative: Float64Array;
  private readonly power: (x: number) => number;
  /** The first epoch any edge is due (1 for UMAP's graphs, whose strongest edge has period 1). */
  private readonly firstDue: number;

  constructor(private readonly part: LayoutPartInit) {
    this.perNegative = part.epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE);
    this.power = makePower(part.b);
    this.firstDue = firstDue(part.nextSample);
  }

  /** Epoch n (0-based): attraction along due edges, repulsion from their negative samples. */
  epoch(n: number): void {
    // Before any edge is due, an epoch would only skip every edge, and V8 would optimise the loop
    // for skipping, then discard that code when the first edge came due (a 10,000-point epoch then
    // ran interpreted, 6 times slower).
    if (n < this.firstDue) return;
    // The loop returns the random stream's state rather than storing it: a store after a loop V8
    // optimised on entry (OSR) had no type feedback, and the worker's copy threw its code away at
    // the end of every epoch.
    this.part.random[0] = sampleEdges(this.part, this.perNegative, this.power, n, this.part.random[0]);
  }
}

/** Epoch n's samples of the part's edges from random state `state`; returns the state after them. */
function sampleEdges(part: LayoutPartInit, perNegative: Float64Array, power: (x: number) => number, n: number, state: number): number {
  const { rows, a, b, head, tail, epochsPerSample, live, snapshot, deferred, from, to, nextSample, nextNegative } = part;
  // The learning rate as layoutOptimizer.ts sets it: 1 for the first two epochs, then falling linearly.
  const alpha = n === 0 ? 1 : 1 - (n - 1) / part.epochs;
  const first = from * 2;
  const end = to * 2;
  for (let e = 0; e < epochsPerSample.length; e++) {
    if (nextSample[e] > n) continue;
    const cj = head[e] * 2;
    const ck = tail[e] * 2;
    const ownTail = ck >= first && ck < end;
    let xj = live[cj];
    let yj = live[cj + 1];
    const xk = ownTail ? live[ck] : snapshot[ck];
    const yk = ownTail ? live[ck + 1] : snapshot[ck + 1];
    let dx = xj - xk;
    let dy = yj - yk;
    const dist2 = dx * dx + dy * dy;
    let coefficient = 0;
    if (dist2 > 0) {
      const dist2b = power(dist2);
      coefficient = (-2 * a * b * (dist2b / dist2)) / (a * dist2b + 1);
    }
    const gx = clip(coefficient * dx) * alpha;
    xj += gx;
    // As umap-js: the y difference is taken after x moved (x alone changed, so it is dy as is).
    const gy = clip(coefficient * dy) * alpha;
    yj += gy;
    if (ownTail) {
      live[ck] -= gx;
      live[ck + 1] -= gy;
    } else {
      deferred[ck] -= gx;
      deferred[ck + 1] -= gy;
    }
    nextSample[e] += epochsPerSample[e];

    const negatives = Math.floor((n - nextNegative[e]) / perNegative[e]);
    // Every negative sample pushes the head from where the attraction left it, and the pushes
    // are summed, where umap-js moves the head after each: its chain made each sample wait
    // for the last (~90 cycles of dependent arithmetic, power and division included); these
    // are independent, so the core overlaps them. Each push is still clipped on its own.
    let px = 0;
    let py = 0;
    for (let p = 0; p < negatives; p++) {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      const other = Math.floor((((t ^ (t >>> 14)) >>> 0) / 4294967296) * rows) * 2;
      if (other === cj) continue;
      // Negative samples push from where the point was when the epoch began, whoever owns it:
      // one array read at random instead of two (at 70,000 points they outgrow the cache).
      dx = xj - snapshot[other];
      dy = yj - snapshot[other + 1];
      const d2 = dx * dx + dy * dy;
      if (d2 > 0) {
        const repulse = (2 * b) / ((0.001 + d2) * (a * power(d2) + 1));
        px += clip(repulse * dx);
        py += clip(repulse * dy);
      } else {
        px += CLIP;
        py += CLIP;
      }
    }
    live[cj] = xj + px * alpha;
    live[cj + 1] = yj + py * alpha;
    nextNegative[e] += negatives * perNegative[e];
  }
  return state;
}

function clip(x: number): number {
  return x > CLIP ? CLIP : x < -CLIP ? -CLIP : x;
}

/** The least of the edges' first due epochs (Infinity without edges). */
export function firstDue(nextSample: Float64Array): number {
  let first = Infinity;
  for (let e = 0; e < nextSample.length; e++) first = Math.min(first, nextSample[e]);
  return first;
}
