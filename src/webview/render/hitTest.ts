// Which point is under the pointer: a d3 quadtree over the base layout, searched in base
// coordinates (the pointer is mapped back through the zoom transform), so zooming never rebuilds it.

import { quadtree, type Quadtree } from 'd3';
import type { ViewTransform } from './points';

export class PointHitTester {
  private tree: Quadtree<number> | undefined;
  private xs: Float32Array = new Float32Array(0);
  private ys: Float32Array = new Float32Array(0);

  /** Marks the layout changed; the tree is rebuilt on the next query (not on every streamed layout). */
  setLayout(xs: Float32Array, ys: Float32Array): void {
    this.xs = xs;
    this.ys = ys;
    this.tree = undefined;
  }

  /** The nearest point within `radius` CSS pixels of screen point (sx, sy), or undefined. */
  find(sx: number, sy: number, t: ViewTransform, radius: number): number | undefined {
    const tree = this.ensureTree();
    const hit = tree.find((sx - t.x) / t.k, (sy - t.y) / t.k, radius / t.k);
    return hit;
  }

  private ensureTree(): Quadtree<number> {
    if (this.tree) return this.tree;
    const { xs, ys } = this;
    const indices: number[] = [];
    for (let i = 0; i < xs.length; i++) if (Number.isFinite(xs[i]) && Number.isFinite(ys[i])) indices.push(i);
    this.tree = quadtree<number>()
      .x((i) => xs[i])
      .y((i) => ys[i])
      .addAll(indices);
    return this.tree;
  }
}
