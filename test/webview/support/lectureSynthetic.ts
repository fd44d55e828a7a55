// The lecture views' requests answered from a SyntheticCheckpoint, so pages opened on synthetic
// data serve them as the real host does (with images of the right size; the values are stand-ins:
// test/webview/lecture.test.ts checks the real ones against the engine).

import type { ExplorerHandlers } from './harness';
import type { SyntheticCheckpoint } from './synthetic';

export function lectureSyntheticHandlers(current: () => SyntheticCheckpoint): ExplorerHandlers {
  const blank = (count: number): Float32Array => new Float32Array(count * current().sampleSize);
  return {
    'explorer/interpolate': ({ from, to, steps, mode }) => {
      const c = current();
      const end = (e: typeof from): Float32Array => (e.kind === 'sample' ? c.sample(e.index) : blank(1));
      const [a, b] = [end(from), end(to)];
      const blend = new Float32Array(steps * c.sampleSize);
      for (let s = 0; s < steps; s++) for (let j = 0; j < c.sampleSize; j++) blend[s * c.sampleSize + j] = a[j] + ((b[j] - a[j]) * s) / (steps - 1);
      return { mode, steps, sampleShape: c.sampleShape, codes: new Float32Array(steps * c.snapshot.latent), images: blend, blend, fromImage: a, toImage: b };
    },
    'explorer/attributeVector': () => ({ vector: new Float32Array(current().snapshot.latent).fill(0.1), withCount: 1, withoutCount: 1, norm: 0.1, codeSpread: 1 }),
    'explorer/average': () => ({ count: 1, sampleShape: current().sampleShape, mean: blank(1), decodedMean: blank(1) }),
    'explorer/denoise': ({ index }) => {
      const clean = current().sample(index);
      return { sampleShape: current().sampleShape, clean, noisy: clean, output: clean, noisyError: 0, outputError: 0 };
    },
    'explorer/prior': ({ count }) => ({ sampleShape: current().sampleShape, codes: new Float32Array(count * current().snapshot.latent), images: blank(count) }),
    'explorer/vaeSummary': () => ({ kind: current().snapshot.checkpoint.model.kind, reconstructionMse: 0, runs: [] }),
    'explorer/aeVsPca': ({ showCount }) => {
      const c = current();
      const shown = Math.min(showCount, c.snapshot.count);
      return {
        sampleShape: c.sampleShape,
        samples: c.snapshot.count,
        ks: [1, 2],
        pcaErrors: [0.02, 0.01],
        autoencoders: [],
        skipped: [],
        indices: Array.from({ length: shown }, (_, i) => i),
        k: 1,
        originals: blank(shown),
        pcaReconstructions: blank(shown),
        aeReconstructions: blank(shown),
      };
    },
  };
}
