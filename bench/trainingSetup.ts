// What both sides of a training row share: the models, the batch, the warm-up and the epochs timed.
// bench/torch_reference.py takes the same figures on its command line (see training.bench.ts).

import { defaultModel } from '../src/shared/defaults';
import type { ModelSpec } from '../src/shared/protocol';

export const BATCH = 128;
/** Steps each side trains before the clock starts: kernel compilation, allocation, thread wake-up. */
export const WARMUP_BATCHES = 20;
/** Whole epochs timed per round: about 3 s of dense and 5 s of conv training here, on each side. */
export const EPOCHS = { dense: 2, conv: 1 } as const;

export type BenchModelKind = keyof typeof EPOCHS;

/** Dense 784-512-128-32 and the default conv AE (3×3 stride-2 convs of 32 and 64 filters, 16-d code). */
export function benchModel(kind: BenchModelKind): Omit<ModelSpec, 'inputShape'> {
  return kind === 'dense' ? defaultModel('dense', { latent: 32, hidden: [512, 128] }) : defaultModel('conv', { latent: 16, filters: [32, 64] });
}

/** What one side prints for one model: whole timed epochs. */
export interface ChildFigures {
  samplesPerSecond: number;
  wallSeconds: number;
  /** CPU time of the process over the timed epochs, all threads. */
  cpuSeconds: number;
  samples: number;
  /** The reference stopped at its time budget inside an epoch (a very slow thread setting on a busy machine). */
  partial?: boolean;
  /** Which backend and build ran, e.g. "wasm: CPU (WebAssembly SIMD, 2 threads)" or "PyTorch 1.13 CPU, 1 thread, OpenBLAS". */
  device: string;
}
