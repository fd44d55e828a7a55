// Typed arrays a chart reuses from one scene to the next. A zoom frame builds six charts of twenty
// lines each, and in a browser every new typed array is a buffer allocated, zeroed and later
// collected outside the script heap: measured in headless Chromium, allocating them cost more than
// the reduction written into them. A scene's arrays are views into these buffers, valid until the
// chart builds its next scene (the chart keeps only its latest scene).

export class SceneArena {
  private float64s = new Float64Array(1 << 15);
  private float32s = new Float32Array(1 << 15);
  private used64 = 0;
  private used32 = 0;

  /** Starts a new scene: the last one's arrays may be written over from now on. */
  reset(): void {
    this.used64 = 0;
    this.used32 = 0;
  }

  /** `length` doubles, not cleared: the caller writes every one it reads. */
  float64(length: number): Float64Array {
    if (this.used64 + length > this.float64s.length) {
      // Views already handed out keep the old buffer; the new one serves what follows.
      this.float64s = new Float64Array(Math.max(2 * this.float64s.length, length));
      this.used64 = 0;
    }
    const view = this.float64s.subarray(this.used64, this.used64 + length);
    this.used64 += length;
    return view;
  }

  /** `length` floats, not cleared. */
  float32(length: number): Float32Array {
    if (this.used32 + length > this.float32s.length) {
      this.float32s = new Float32Array(Math.max(2 * this.float32s.length, length));
      this.used32 = 0;
    }
    const view = this.float32s.subarray(this.used32, this.used32 + length);
    this.used32 += length;
    return view;
  }
}

/** For a scene built once (tests, exports): plain new arrays. */
export const FRESH_ARRAYS: Pick<SceneArena, 'float64' | 'float32'> = {
  float64: (length) => new Float64Array(length),
  float32: (length) => new Float32Array(length),
};
