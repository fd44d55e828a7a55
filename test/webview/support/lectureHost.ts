// The lecture views' requests for the engine-backed test host: relayed to the engine session as
// src/extension/explorerLecture.ts does, with the sibling checkpoints a test names standing in for
// the workspace's run index. Plus a trainer for the checkpoints those views compare.

import { join } from 'node:path';
import { EngineProcess } from '../../../src/engine/engineProcess';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import type { ModelKind } from '../../../src/shared/protocol';
import type { ExplorerHandlers } from './harness';

const ROOT = join(__dirname, '..', '..', '..');

export function lectureHandlers(engine: EngineProcess, sessionId: string, siblings: string[]): ExplorerHandlers {
  const request = engine.channel.request.bind(engine.channel);
  const timeoutMs = 2 * 60_000;
  return {
    'explorer/interpolate': (params, { signal }) => request('explore/interpolate', { sessionId, ...params }, { signal, timeoutMs }),
    'explorer/attributeVector': (params, { signal }) => request('explore/attributeVector', { sessionId, ...params }, { signal, timeoutMs }),
    'explorer/average': ({ set }, { signal }) => request('explore/average', { sessionId, set }, { signal, timeoutMs }),
    'explorer/denoise': (params, { signal }) => request('explore/denoise', { sessionId, ...params }, { signal, timeoutMs }),
    'explorer/prior': ({ count, seed }, { signal }) => request('explore/prior', { sessionId, count, seed }, { signal, timeoutMs }),
    'explorer/vaeSummary': (_params, { signal }) => request('explore/vaeSummary', { sessionId, siblings }, { signal, timeoutMs }),
    'explorer/aeVsPca': (params, { signal }) => request('explore/aeVsPca', { sessionId, siblings, ...params }, { signal, timeoutMs }),
  };
}

export interface TrainSpec {
  out: string;
  kind: ModelKind;
  latent: number;
  beta?: number;
  epochs?: number;
  /** Dense layer sizes (default [128]). */
  hidden?: number[];
}

/**
 * Trains checkpoints in one engine process (the engine a host would use), one after the other, and
 * returns their checkpoint folders. Built-in faces, small and quick.
 */
export async function trainCheckpoints(specs: TrainSpec[], samples = 1200): Promise<string[]> {
  const engine = new EngineProcess({ workerPath: join(ROOT, 'src', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] });
  try {
    const dirs: string[] = [];
    for (const spec of specs) {
      const model = defaultModel(spec.kind, { latent: spec.latent, hidden: spec.hidden ?? [128], beta: spec.beta, warmupEpochs: 0 });
      const config = defaultTrainConfig(spec.out, { source: 'faces', limit: samples }, model, { epochs: spec.epochs ?? 4, batchSize: 64 });
      const result = await engine.channel.request('train/start', { jobId: spec.out, config }, { timeoutMs: 5 * 60_000 });
      if (!result.checkpointDir) throw new Error(`training ${spec.out} wrote no checkpoint`);
      dirs.push(result.checkpointDir);
    }
    return dirs;
  } finally {
    engine.dispose();
  }
}
