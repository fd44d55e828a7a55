// The lowest and highest value of any run of a long series without rescanning it: per level k, the
// low and high of each block of 2^k values (k from 3 up; shorter runs are read from the values
// themselves). A chart asks it once per pixel column on every zoom frame, so a frame costs about
// columns × log(points) instead of every point in view. A series that grew (live training appends
// points) is extended: only the blocks its new values touch are computed.

/** The finest stored level: blocks of 2^FINEST values; anything shorter is scanned. */
const FINEST = 3;

export class MinMaxPyramid {
  private values: ArrayLike<number> = [];
  /** lows[i] and highs[i]: level FINEST + i, block j covering values [j·2^level, (j+1)·2^level). */
  private readonly lows: Float64Array[] = [];
  private readonly highs: Float64Array[] = [];
  /** How many values the stored blocks cover (the last block of a level may be partial). */
  private indexed = 0;

  constructor(values: ArrayLike<number>) {
    this.update(values);
  }

  get length(): number {
    return this.indexed;
  }

  /**
   * Indexes `values`: when the values indexed so far are their beginning (a series that grew), only
   * the blocks of the new values (and the partial block before them) are computed; otherwise (a
   * series replaced or rebuilt differently) everything is rebuilt.
   */
  update(values: ArrayLike<number>): void {
    let from = 0;
    if (values.length >= this.indexed && startsWith(values, this.values, this.indexed)) from = this.indexed;
    this.values = values;
    const n = values.length;
    let i = 0;
    // A level is kept while it has at least two blocks.
    for (let level = FINEST; n > 1 << level; level++, i++) {
      const size = 1 << level;
      const blocks = Math.ceil(n / size);
      if (!this.lows[i] || this.lows[i].length < blocks) {
        // Room to grow: a live series is extended many times.
        const capacity = Math.max(blocks, Math.ceil(blocks * 1.5));
        this.lows[i] = grow(this.lows[i], capacity);
        this.highs[i] = grow(this.highs[i], capacity);
      }
      const lows = this.lows[i];
      const highs = this.highs[i];
      // The first block holding a new value: partial before, it gains values now.
      for (let j = Math.floor(from / size); j < blocks; j++) {
        let low = Infinity;
        let high = -Infinity;
        if (i === 0) {
          const end = Math.min(n, (j + 1) * size);
          for (let k = j * size; k < end; k++) {
            const v = values[k];
            if (v < low) low = v;
            if (v > high) high = v;
          }
        } else {
          // Two blocks of the level below (the second may not exist at the series' end).
          const below = i - 1;
          const a = 2 * j;
          low = this.lows[below][a];
          high = this.highs[below][a];
          if ((a + 1) * (size >> 1) < n) {
            low = Math.min(low, this.lows[below][a + 1]);
            high = Math.max(high, this.highs[below][a + 1]);
          }
        }
        lows[j] = low;
        highs[j] = high;
      }
    }
    // A shorter series than before has fewer levels.
    this.lows.length = i;
    this.highs.length = i;
    this.indexed = n;
  }

  /**
   * Writes the lowest and highest value of values[from, to) into out[0] and out[1] (Infinity and
   * −Infinity for an empty run; NaN values are ignored). Reads at most 2 · (2^FINEST − 1) values and
   * two blocks per level.
   */
  range(from: number, to: number, out: Float64Array): void {
    let low = Infinity;
    let high = -Infinity;
    const values = this.values;
    const mask = (1 << FINEST) - 1;
    let i = Math.max(0, from);
    const end = Math.min(to, this.indexed);
    // Up to the first block boundary one value at a time.
    while (i < end && (i & mask) !== 0) {
      const v = values[i++];
      if (v < low) low = v;
      if (v > high) high = v;
    }
    // Then the largest whole blocks that start at i and end by `end`.
    const top = this.lows.length - 1;
    while (top >= 0 && i + (1 << FINEST) <= end) {
      // The level of the largest block that is aligned at i (i's trailing zero bits; i = 0 is
      // aligned at every level) and fits before `end` (log2 of what is left).
      const aligned = i === 0 ? top : 31 - Math.clz32(i & -i) - FINEST;
      const fits = 31 - Math.clz32(end - i) - FINEST;
      const k = Math.min(aligned, fits, top);
      const j = i >> (FINEST + k);
      if (this.lows[k][j] < low) low = this.lows[k][j];
      if (this.highs[k][j] > high) high = this.highs[k][j];
      i += 1 << (FINEST + k);
    }
    while (i < end) {
      const v = values[i++];
      if (v < low) low = v;
      if (v > high) high = v;
    }
    out[0] = low;
    out[1] = high;
  }
}

function startsWith(values: ArrayLike<number>, prefix: ArrayLike<number>, length: number): boolean {
  if (values === prefix) return true;
  for (let i = 0; i < length; i++) if (!Object.is(values[i], prefix[i])) return false;
  return true;
}

function grow(array: Float64Array | undefined, capacity: number): Float64Array {
  const grown = new Float64Array(capacity);
  if (array) grown.set(array.subarray(0, Math.min(array.length, capacity)));
  return grown;
}
