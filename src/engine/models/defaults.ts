// The model a kind gets when nothing else is chosen, for a given sample shape. The choices live in
// src/shared/defaults.ts so the command palette, the CLI and the engine agree on them.

import { defaultModel } from '../../shared/defaults';
import type { ModelKind, ModelSpec } from '../../shared/protocol';

export type ModelOverrides = Partial<Omit<ModelSpec, 'inputShape' | 'kind'>>;

/** dense: hidden [512, 128]; conv: filters [32, 64]; latent 16; denoising: gaussian 0.3; VAE: beta 1, warm-up 5 epochs. */
export function defaultModelSpec(kind: ModelKind, inputShape: readonly number[], overrides: ModelOverrides = {}): ModelSpec {
  return { ...defaultModel(kind, overrides), inputShape: [...inputShape] };
}
