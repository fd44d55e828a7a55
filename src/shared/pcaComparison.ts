// The runs the walkthrough's "Compare with PCA" step trains, in one place: the extension's command
// trains exactly these, and test/engine/explore/pcaComparison.test.ts trains the same and checks that
// both autoencoders beat PCA on held-out samples.
//
// Why this recipe (measured on wasm, validation MSE; see the README's "Autoencoder vs PCA"):
// - Built-in shapes, not faces. A shape's image depends on five factors (class, scale, rotation, x, y),
//   and moving or turning a shape traces a curve through pixel space that no flat subspace follows: PCA
//   needs many components (MSE 0.049 at k = 2, 0.022 at k = 8). The faces are drawn at one place and
//   vary in three smooth factors and glasses, so PCA is nearly exact already at k = 8 (0.0008); a conv
//   AE with a code of 8 trained the same way for 20 epochs was still above it there (0.0011).
// - A convolutional AE, the usual model for images. The claim does not hang on it: a dense AE with the
//   same budget reached 0.0080 at k = 8 on shapes too.
// - A plain AE, not a VAE: the KL term costs reconstruction, and this step compares reconstruction.
// - Batch 32 for 20 epochs: about 1,100 steps, where the validation error has nearly levelled off
//   (it falls by less than 5% over the last three epochs), in tens of seconds per model on wasm.

import { defaultModel, defaultTrainConfig } from './defaults';
import type { BackendPreference, DatasetSpec, TrainConfig } from './protocol';

export const PCA_COMPARISON = {
  dataset: { source: 'shapes', limit: 2000 },
  kind: 'conv',
  /** Code sizes trained, one run each: one far below the five factors, one above them. */
  latents: [2, 8],
  epochs: 20,
  batchSize: 32,
  learningRate: 0.001,
  seed: 1,
} as const satisfies { dataset: DatasetSpec; latents: readonly number[] } & Record<string, unknown>;

/** The comparison's training configurations, smallest code first; `runDirFor` names each run's folder. */
export function pcaComparisonConfigs(runDirFor: (latent: number) => string, backend: BackendPreference): { latent: number; config: TrainConfig }[] {
  const { dataset, kind, latents, epochs, batchSize, learningRate, seed } = PCA_COMPARISON;
  return latents.map((latent) => ({
    latent,
    config: defaultTrainConfig(runDirFor(latent), { ...dataset }, defaultModel(kind, { latent }), { epochs, batchSize, learningRate, seed, backend }),
  }));
}
