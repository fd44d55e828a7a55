// A canvas whose pixels are written directly: a reusable ImageData with a Uint32Array view,
// resized to the element's CSS size × devicePixelRatio when asked, and put back in one call.

export class PixelCanvas {
  private image: ImageData | undefined;
  private view = new Uint32Array(0);
  private readonly context: CanvasRenderingContext2D;

  constructor(readonly canvas: HTMLCanvasElement) {
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This page cannot draw: no 2D canvas context');
    this.context = context;
  }

  /** Sets the backing store to width × height device pixels (no-op when unchanged). */
  resize(width: number, height: number): void {
    const w = Math.max(1, Math.round(width));
    const h = Math.max(1, Math.round(height));
    if (this.image && this.image.width === w && this.image.height === h) return;
    this.canvas.width = w;
    this.canvas.height = h;
    this.image = this.context.createImageData(w, h);
    this.view = new Uint32Array(this.image.data.buffer);
  }

  get width(): number {
    return this.image?.width ?? 0;
  }

  get height(): number {
    return this.image?.height ?? 0;
  }

  /** The pixels to write (cleared by `clear`). */
  get pixels(): Uint32Array {
    return this.view;
  }

  clear(pixel = 0): void {
    this.view.fill(pixel);
  }

  present(): void {
    if (this.image) this.context.putImageData(this.image, 0, 0);
  }
}
