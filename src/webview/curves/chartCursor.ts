// A chart's cursor layer, made of a few positioned elements above its canvas: the vertical cursor
// line, one dot per run where its line crosses the cursor, the range being dragged, and the readout of
// every run's value. A hover moves them (transforms and text changes only), so it never redraws the
// chart's canvas nor rebuilds elements: the elements are made again only when the charted runs change.

import { el } from '../dom';
import type { ChartScene } from './chartScene';
import type { CurveRunData } from './runStore';

export interface CursorMarks {
  /** The cursor's x in CSS pixels. */
  px: number;
  title: string;
  rows: { run: CurveRunData; colour: string; mx: number; py: number; text: string }[];
}

const DOT = 7;

export class CursorLayer {
  /** Takes the pointer (hover, drag, click, wheel) over the chart. */
  readonly overlay: HTMLElement;
  readonly readout: HTMLElement;
  private readonly line: HTMLElement;
  private readonly dragBox: HTMLElement;
  private readonly dots: HTMLElement;
  private readonly title: Text;
  private readonly rows: HTMLElement;
  /** What the rows and dots were made for: run ids and colours. */
  private madeFor = '';
  private values: Text[] = [];

  constructor(metricKey: string) {
    this.line = el('div', { class: 'curve-cursor-line' });
    this.dragBox = el('div', { class: 'curve-drag' });
    this.dots = el('div', { class: 'curve-cursor-dots' });
    this.overlay = el('div', { class: 'curve-overlay', attrs: { 'aria-hidden': 'true' } }, this.dragBox, this.line, this.dots);
    this.title = document.createTextNode('');
    this.rows = el('div');
    this.readout = el('div', { class: 'curve-readout', data: { testid: `chart-readout-${metricKey}` } }, el('div', { class: 'curve-readout-title' }, this.title), this.rows);
    this.line.hidden = true;
    this.dragBox.hidden = true;
    this.readout.hidden = true;
  }

  /** Shows `marks` (undefined hides the cursor and readout) and the dragged range, if any. */
  show(scene: ChartScene, marks: CursorMarks | undefined, drag: { from: number; to: number } | undefined): void {
    const { plot } = scene;
    this.dragBox.hidden = !drag;
    if (drag) {
      const a = Math.min(drag.from, drag.to);
      place(this.dragBox, a, plot.top);
      this.dragBox.style.width = `${Math.abs(drag.to - drag.from)}px`;
      this.dragBox.style.height = `${plot.bottom - plot.top}px`;
    }
    this.line.hidden = !marks;
    this.readout.hidden = !marks;
    this.dots.hidden = !marks;
    if (!marks) return;
    place(this.line, Math.round(marks.px), plot.top);
    this.line.style.height = `${plot.bottom - plot.top}px`;
    this.remake(marks.rows);
    marks.rows.forEach((row, i) => {
      const dot = this.dots.children[i] as HTMLElement;
      dot.hidden = !Number.isFinite(row.py);
      if (!dot.hidden) place(dot, row.mx - DOT / 2, row.py - DOT / 2);
      if (this.values[i].data !== row.text) this.values[i].data = row.text;
    });
    if (this.title.data !== marks.title) this.title.data = marks.title;
    place(this.readout, Math.min(marks.px + 12, scene.width - 220), 0);
  }

  /** Rows and dots for these runs, made only when the runs or their colours changed. */
  private remake(rows: CursorMarks['rows']): void {
    const key = rows.map((r) => `${r.run.id}\u0000${r.colour}\u0000${r.run.row.name}`).join('\u0001');
    if (key === this.madeFor) return;
    this.madeFor = key;
    this.values = rows.map(() => document.createTextNode(''));
    this.rows.replaceChildren(
      ...rows.map((row, i) => {
        const swatch = el('span', { class: 'swatch', attrs: { 'aria-hidden': 'true' } });
        swatch.style.background = row.colour;
        return el('div', { class: 'curve-readout-row', data: { run: row.run.id } }, swatch, el('span', { class: 'curve-readout-name', text: row.run.row.name }), el('span', { class: 'curve-readout-value' }, this.values[i]));
      }),
    );
    this.dots.replaceChildren(
      ...rows.map((row) => {
        const dot = el('div', { class: 'curve-cursor-dot' });
        dot.style.background = row.colour;
        return dot;
      }),
    );
  }
}

/** Moves an element whose box starts at the layer's top left (a transform: no layout). */
function place(element: HTMLElement, x: number, y: number): void {
  element.style.transform = `translate(${x}px, ${y}px)`;
}
