// Seeded weight initialisation: every kernel gets its own seed drawn from one stream, so a model
// seed reproduces all weights while no two layers start from the same values.

import * as tfl from '@tensorflow/tfjs-layers';
import { seededRandom } from '../random';

export type Initializer = ReturnType<typeof tfl.initializers.glorotUniform>;

/** A source of glorot-uniform initializers, each with the next seed of the stream. */
export function seededInitializers(seed: number): () => Initializer {
  const random = seededRandom(seed);
  return () => tfl.initializers.glorotUniform({ seed: Math.floor(random() * 2 ** 31) });
}
