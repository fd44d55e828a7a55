// One training job as both entry points run it: choose the backend, load the data, train.
// The worker runs it for the extension host, the CLI in its own process.

import type { BackendOptions } from './backend';
import { resolveBackend } from './backend';
import { loadDataset } from './data/loadDataset';
import { train } from './train/trainer';
import { validateTrainConfig } from './train/validateConfig';
import type { TrainConfig, TrainEvent, TrainResult } from '../shared/protocol';

export interface TrainJobOptions {
  signal?: AbortSignal;
  onEvent?: (event: TrainEvent) => void;
  onLog?: (message: string) => void;
  backendOptions?: BackendOptions;
}

export async function runTrainJob(config: TrainConfig, options: TrainJobOptions = {}): Promise<TrainResult> {
  validateTrainConfig(config);
  const backend = await resolveBackend(config.backend, options.backendOptions);
  options.onLog?.(backend.summary);
  const dataset = await loadDataset(config.dataset, {
    onProgress: (received: number, total: number | null) =>
      options.onLog?.(`Downloading ${config.dataset.source}: ${(received / 1e6).toFixed(1)} MB${total ? ` of ${(total / 1e6).toFixed(1)} MB` : ''}`),
    onDecodeProgress: (done, total) => options.onLog?.(`Decoding images: ${done.toLocaleString('en')} of ${total.toLocaleString('en')} (${Math.floor((100 * done) / total)} %)`),
    onLog: options.onLog,
    signal: options.signal,
  });
  options.onLog?.(`Loaded ${dataset.name}: ${dataset.count} samples of shape ${dataset.sampleShape.join('×')}`);
  // Said once, with the start of training, where the CLI prints it and VS Code shows it.
  const warnings = dataset.warnings ?? [];
  const onEvent = options.onEvent;
  return train(config, dataset, {
    signal: options.signal,
    onEvent: onEvent && ((event) => onEvent(event.type === 'start' && warnings.length > 0 ? { ...event, warnings } : event)),
    backend,
  });
}
