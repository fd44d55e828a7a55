// Resizing images to the one square size a dataset needs, one axis at a time: each output pixel
// averages the source pixels it covers when shrinking (so thin strokes fade instead of vanishing
// between samples), and interpolates between the two nearest when growing.

interface Tap {
  index: number;
  weight: number;
}

/** size×size×channels from width×height×channels (row-major, channels last). A non-square image is stretched. */
export function resizeImage(source: Float32Array, width: number, height: number, channels: number, size: number): Float32Array {
  if (width === size && height === size) return source;
  const columns = axisTaps(width, size);
  const rows = axisTaps(height, size);
  // Rows first: height × size × channels.
  const across = new Float32Array(height * size * channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < size; x++) {
      for (const { index, weight } of columns[x]) {
        const from = (y * width + index) * channels;
        const to = (y * size + x) * channels;
        for (let c = 0; c < channels; c++) across[to + c] += weight * source[from + c];
      }
    }
  }
  const out = new Float32Array(size * size * channels);
  for (let y = 0; y < size; y++) {
    for (const { index, weight } of rows[y]) {
      for (let x = 0; x < size; x++) {
        const from = (index * size + x) * channels;
        const to = (y * size + x) * channels;
        for (let c = 0; c < channels; c++) out[to + c] += weight * across[from + c];
      }
    }
  }
  return out;
}

/** For each of `outSize` output pixels, the source pixels and weights (summing to 1) that make it. */
export function axisTaps(inSize: number, outSize: number): Tap[][] {
  const taps: Tap[][] = [];
  const scale = inSize / outSize;
  for (let i = 0; i < outSize; i++) {
    const row: Tap[] = [];
    if (scale > 1) {
      const start = i * scale;
      const end = start + scale;
      for (let j = Math.floor(start); j < Math.min(inSize, Math.ceil(end)); j++) {
        const overlap = Math.min(end, j + 1) - Math.max(start, j);
        if (overlap > 0) row.push({ index: j, weight: overlap / scale });
      }
    } else {
      const centre = Math.min(inSize - 1, Math.max(0, (i + 0.5) * scale - 0.5));
      const j = Math.floor(centre);
      const t = centre - j;
      row.push({ index: j, weight: 1 - t });
      if (t > 0) row.push({ index: Math.min(inSize - 1, j + 1), weight: t });
    }
    taps.push(row);
  }
  return taps;
}
