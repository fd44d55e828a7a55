// UMAP's layout optimisation (stochastic gradient descent on the fuzzy cross-entropy, attraction
// along graph edges and repulsion from negative samples), one epoch per step(), following umap-js
// 1.4's optimizeLayoutStep step by step: given the same graph, start and random stream it produces
// the same layout up to rounding. Three changes make it faster: the positions live in one Float64Array
// instead of an array per point, d^(2b) is computed once per sample from a table (makePower;
// 10,000 points take ~76 M of them) with d^(2(b−1)) derived from it, and the head of an edge stays
// in local variables through its negative samples (its stored copy is written back after them).

// The package index exports only UMAP; the curve fit for a and b lives in its umap module.
import { findABParams } from 'umap-js/dist/umap';
import type { RandomFn } from '../random';
import { makePower } from './fastPow';
import type { LayoutEdges } from './fuzzyGraph';
import { firstDue } from './layoutPart';

const CLIP = 4;
const NEGATIVE_SAMPLE_RATE = 5;
const REPULSION = 1;
const LEARNING_RATE = 1;

export class LayoutOptimizer {
  readonly epochs: number;
  private epoch = 0;
  private alpha = LEARNING_RATE;
  private readonly a: number;
  private readonly b: number;
  private readonly nextSample: Float64Array;
  private readonly nextNegative: Float64Array;
  private readonly perNegative: Float64Array;
  /** The first epoch any edge is due. */
  private readonly firstDue: number;
  /** x ↦ x^b: a local function, so the hot loop can inline it (an imported one is read through a getter in CommonJS builds). */
  private readonly power: (x: number) => number;

  /** `positions` (rows × 2) is the starting layout and is updated in place. */
  constructor(
    private readonly positions: Float64Array,
    private readonly rows: number,
    private readonly edges: LayoutEdges,
    epochs: number,
    minDist: number,
    private readonly random: RandomFn,
  ) {
    this.epochs = epochs;
    ({ a: this.a, b: this.b } = findABParams(1, minDist));
    this.power = makePower(this.b);
    this.nextSample = Float64Array.from(edges.epochsPerSample);
    this.perNegative = edges.epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE);
    this.nextNegative = Float64Array.from(this.perNegative);
    this.firstDue = firstDue(this.nextSample);
  }

  get epochsDone(): number {
    return this.epoch;
  }

  /** One epoch; returns the number of epochs done. Does nothing once all are done. */
  step(): number {
    if (this.epoch >= this.epochs) return this.epoch;
    const n = this.epoch;
    // Before any edge is due there is nothing to sample, and running the loop only to skip every
    // edge would have V8 optimise it for skipping, then discard that code once edges came due.
    if (n >= this.firstDue) this.sample(n);
    this.alpha = LEARNING_RATE * (1 - n / this.epochs);
    this.epoch++;
    return this.epoch;
  }

  /** Epoch n's samples: attraction along due edges, repulsion from their negative samples. */
  private sample(n: number): void {
    const { positions: y, a, b, alpha, random, rows, power } = this;
    const { head, tail, epochsPerSample } = this.edges;
    const { nextSample, nextNegative, perNegative } = this;
    for (let e = 0; e < epochsPerSample.length; e++) {
      if (nextSample[e] > n) continue;
      const j = head[e];
      const k = tail[e];
      const cj = j * 2;
      const ck = k * 2;
      // The head's position stays in registers through its negative samples: each update depends
      // on the previous one, and a round trip through memory would lengthen that chain.
      let xj = y[cj];
      let yj = y[cj + 1];
      let dx = xj - y[ck];
      let dy = yj - y[ck + 1];
      const dist2 = dx * dx + dy * dy;
      let coefficient = 0;
      if (dist2 > 0) {
        const dist2b = power(dist2);
        coefficient = (-2 * a * b * (dist2b / dist2)) / (a * dist2b + 1);
      }
      // Attraction: both ends move (umap-js recomputes the difference per dimension after moving x).
      let g = clip(coefficient * dx);
      xj += g * alpha;
      y[ck] += -g * alpha;
      dy = yj - y[ck + 1];
      g = clip(coefficient * dy);
      yj += g * alpha;
      y[ck + 1] += -g * alpha;
      nextSample[e] += epochsPerSample[e];

      const negatives = Math.floor((n - nextNegative[e]) / perNegative[e]);
      for (let p = 0; p < negatives; p++) {
        const other = Math.floor(random() * rows) * 2;
        // The head itself (its stored position is stale while it lives in registers): no force.
        if (other === cj) continue;
        dx = xj - y[other];
        dy = yj - y[other + 1];
        const d2 = dx * dx + dy * dy;
        let repulse = 0;
        if (d2 > 0) {
          repulse = (2 * REPULSION * b) / ((0.001 + d2) * (a * power(d2) + 1));
        }
        xj += (repulse > 0 ? clip(repulse * dx) : CLIP) * alpha;
        dy = yj - y[other + 1];
        yj += (repulse > 0 ? clip(repulse * dy) : CLIP) * alpha;
      }
      y[cj] = xj;
      y[cj + 1] = yj;
      nextNegative[e] += negatives * perNegative[e];
    }
  }
}

function clip(x: number): number {
  return x > CLIP ? CLIP : x < -CLIP ? -CLIP : x;
}
