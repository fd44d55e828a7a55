// The selection in the decoder grid's code space: each selected sample's code projected onto the
// grid's two axes (its principal directions or two latent axes) and marked where it falls over the
// decoded images, so one sees which decoded region the selected samples occupy. The axes are read
// back from the grid itself (its cell codes are centre + x·xDirection + y·yDirection), so this does
// not depend on how the engine chose them. data-marks on the overlay is the number of marks drawn.

import type { DecodedGrid, ExploreSnapshot } from '../../shared/engineApi';
import { Disposables } from '../disposables';
import type { GridGeometry } from '../render/gridLayout';
import type { DecoderGridView } from './decoderGrid';
import type { SelectionModel } from './selection';

const MAX_MARKS = 5000;

/** Fractional (column, row) of each code on the grid: 0 … steps − 1 spans the grid's range. */
export function gridPositions(grid: DecodedGrid, codes: Float32Array, latent: number, indices: ArrayLike<number>): { col: number; row: number }[] {
  const steps = grid.spec.steps;
  if (steps < 2) return [];
  const cell = (row: number, col: number): Float32Array => grid.codes.subarray((row * steps + col) * latent, (row * steps + col + 1) * latent);
  const origin = cell(0, 0);
  const dx = grid.xValues[1] - grid.xValues[0];
  const dy = grid.yValues[1] - grid.yValues[0];
  const xDir = Float64Array.from(cell(0, 1), (v, d) => (v - origin[d]) / (dx || 1));
  const yDir = Float64Array.from(cell(1, 0), (v, d) => (v - origin[d]) / (dy || 1));
  const centre = Float64Array.from(origin, (v, d) => v - grid.xValues[0] * xDir[d] - grid.yValues[0] * yDir[d]);
  const xx = xDir.reduce((s, v) => s + v * v, 0);
  const yy = yDir.reduce((s, v) => s + v * v, 0);
  const xSpan = grid.xValues[steps - 1] - grid.xValues[0] || 1;
  const ySpan = grid.yValues[steps - 1] - grid.yValues[0] || 1;
  const out: { col: number; row: number }[] = [];
  for (let n = 0; n < indices.length; n++) {
    const i = indices[n];
    let u = 0;
    let v = 0;
    for (let d = 0; d < latent; d++) {
      const c = codes[i * latent + d] - centre[d];
      u += c * xDir[d];
      v += c * yDir[d];
    }
    u = xx > 0 ? u / xx : 0;
    v = yy > 0 ? v / yy : 0;
    out.push({ col: ((u - grid.xValues[0]) / xSpan) * (steps - 1), row: ((v - grid.yValues[0]) / ySpan) * (steps - 1) });
  }
  return out;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export class SelectionGridOverlay {
  /** An SVG over the grid's canvas: a ring per selected sample (the clicked one larger). */
  readonly svg: SVGSVGElement;
  private readonly disposables = new Disposables();
  private drawn: { grid: DecodedGrid; geometry: GridGeometry; gridCanvas: HTMLCanvasElement } | undefined;

  constructor(
    grid: DecoderGridView,
    private readonly selection: SelectionModel,
    private readonly snapshot: ExploreSnapshot,
  ) {
    this.svg = document.createElementNS(SVG_NS, 'svg');
    this.svg.setAttribute('class', 'grid-overlay');
    this.svg.setAttribute('aria-hidden', 'true');
    this.svg.dataset.view = 'grid-selection';
    this.svg.dataset.marks = '0';
    grid.canvasFrame.appendChild(this.svg);
    this.disposables.add(() => this.svg.remove());
    this.disposables.add(
      grid.onDidDraw((decoded, geometry, gridCanvas) => {
        this.drawn = { grid: decoded, geometry, gridCanvas };
        this.draw();
      }),
    );
    this.disposables.add(selection.onDidChange((change) => (change.what === 'indices' || change.what === 'focus') && this.draw()));
  }

  dispose(): void {
    this.disposables.dispose();
  }

  private draw(): void {
    const drawn = this.drawn;
    if (!drawn) return;
    const { grid, geometry, gridCanvas } = drawn;
    const width = gridCanvas.clientWidth || geometry.width;
    const height = gridCanvas.clientHeight || geometry.height;
    this.svg.setAttribute('width', String(width));
    this.svg.setAttribute('height', String(height));
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    const indices = this.selection.indices.subarray(0, MAX_MARKS);
    const focus = this.selection.focus;
    const all = focus === undefined ? Array.from(indices) : [...indices, focus];
    const positions = gridPositions(grid, this.snapshot.codes, this.snapshot.latent, all);
    const scale = width / geometry.width;
    const pitchX = geometry.cellWidth + geometry.gap;
    const pitchY = geometry.cellHeight + geometry.gap;
    const rings: SVGCircleElement[] = [];
    positions.forEach((p, n) => {
      const x = (p.col * pitchX + geometry.cellWidth / 2) * scale;
      const y = (p.row * pitchY + geometry.cellHeight / 2) * scale;
      if (!(x >= 0 && x <= width && y >= 0 && y <= height)) return;
      const ring = document.createElementNS(SVG_NS, 'circle');
      ring.setAttribute('cx', x.toFixed(1));
      ring.setAttribute('cy', y.toFixed(1));
      const isFocus = focus !== undefined && n === positions.length - 1;
      ring.setAttribute('r', isFocus ? '6' : '3');
      ring.setAttribute('class', isFocus ? 'focus' : 'selected');
      rings.push(ring);
    });
    this.svg.replaceChildren(...rings);
    this.svg.dataset.marks = String(rings.length);
  }
}
