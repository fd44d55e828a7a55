// The options the generated datasets share, checked once so a bad count or size gets a clear
// message instead of a RangeError from a typed array.

import { badInput } from '../../shared/errors';

export interface GeneratorOptions {
  /** How many images to draw. */
  count?: number;
  seed?: number;
  /** Side of the square images, in pixels. */
  imageSize?: number;
}

/** At most 2^28 values (1 GiB of float32) per generated dataset. */
export const MAX_GENERATED_VALUES = 2 ** 28;

export function checkGeneratorOptions(name: string, count: number, imageSize: number): void {
  if (!Number.isInteger(count) || count < 1) throw badInput(`The ${name} dataset needs a whole number of samples of at least 1, not ${count}`);
  if (!Number.isInteger(imageSize) || imageSize < 8 || imageSize > 256) {
    throw badInput(`The ${name} dataset draws images of 8 to 256 pixels, not ${imageSize}`);
  }
  if (count * imageSize * imageSize > MAX_GENERATED_VALUES) {
    throw badInput(`${count} ${name} images of ${imageSize}×${imageSize} would take more than 1 GiB: ask for fewer or smaller images`);
  }
}
