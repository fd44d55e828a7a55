// The centre square of a non-square photo, so resizing it to a square image keeps its proportions
// (a portrait loses its top and bottom margins instead of being squeezed sideways).

/** An image as 8-bit RGBA. */
export interface Rgba {
  width: number;
  height: number;
  data: Uint8Array;
}

/** The largest centred square of `image` (the image itself when it is square already). */
export function centreCrop(image: Rgba): Rgba {
  const { width, height, data } = image;
  const side = Math.min(width, height);
  if (width === side && height === side) return image;
  const left = Math.floor((width - side) / 2);
  const top = Math.floor((height - side) / 2);
  const out = new Uint8Array(side * side * 4);
  for (let y = 0; y < side; y++) {
    const from = ((top + y) * width + left) * 4;
    out.set(data.subarray(from, from + side * 4), y * side * 4);
  }
  return { width: side, height: side, data: out };
}
