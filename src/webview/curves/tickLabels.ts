// Tick labels drawn from small bitmaps, one made per text, colour and scale and then copied: a zoom
// frame writes some sixty labels over six charts, and in a software-rendered page laying out and
// rasterizing text each time cost about as much as rasterizing every line of the charts. A copy
// lands on whole device pixels (a label may sit up to half a device pixel from where fillText puts it).

import { detachedCanvas } from '../dom';

/** Where a label's anchor is: its right end's middle (y ticks) or its top centre (x ticks). */
export type LabelAnchor = 'right-middle' | 'centre-top';

interface Label {
  image: OffscreenCanvas | HTMLCanvasElement;
  /** The anchor's place in the image, CSS pixels. */
  x: number;
  y: number;
  /** The image's size, CSS pixels. */
  width: number;
  height: number;
}

/** Labels kept at most (a long zoom gesture meets many texts); all are dropped past it. */
const KEPT = 512;
const HEIGHT = 16;
const PAD = 2;

export class TickLabels {
  private readonly labels = new Map<string, Label>();

  constructor(private readonly font: string) {}

  /** Draws `text` in `colour` with its anchor at x, y (CSS pixels) on a context scaled by `dpr`. */
  draw(context: CanvasRenderingContext2D, text: string, x: number, y: number, anchor: LabelAnchor, colour: string, dpr: number): void {
    const label = this.label(text, anchor, colour, dpr);
    if (!label) return;
    const left = Math.round((x - label.x) * dpr) / dpr;
    const top = Math.round((y - label.y) * dpr) / dpr;
    context.drawImage(label.image, left, top, label.width, label.height);
  }

  private label(text: string, anchor: LabelAnchor, colour: string, dpr: number): Label | undefined {
    const key = `${anchor}\n${colour}\n${dpr}\n${text}`;
    let label = this.labels.get(key);
    if (label) return label;
    const measure = scratchContext();
    if (!measure) return undefined;
    measure.font = this.font;
    const width = Math.ceil(measure.measureText(text).width) + 2 * PAD;
    const image = detachedCanvas(Math.ceil(width * dpr), Math.ceil(HEIGHT * dpr));
    const context = image.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
    if (!context) return undefined;
    context.scale(dpr, dpr);
    context.font = this.font;
    context.fillStyle = colour;
    const right = anchor === 'right-middle';
    const at = right ? { x: width - PAD, y: HEIGHT / 2 } : { x: width / 2, y: PAD };
    context.textAlign = right ? 'right' : 'center';
    context.textBaseline = right ? 'middle' : 'top';
    context.fillText(text, at.x, at.y);
    if (this.labels.size >= KEPT) this.labels.clear();
    label = { image, x: at.x, y: at.y, width: image.width / dpr, height: image.height / dpr };
    this.labels.set(key, label);
    return label;
  }
}

let scratch: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null | undefined;

function scratchContext(): CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null {
  scratch ??= detachedCanvas(1, 1).getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  return scratch;
}
