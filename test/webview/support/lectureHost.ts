// The engine-backed test hosts' relays: the extension's own (src/shared/explorerHost.ts) over an
// EngineProcess, with the sibling checkpoints a test names standing in for the workspace's run index.
// Plus a trainer for the checkpoints the lecture views compare.

import { join } from 'node:path';
import { EngineProcess } from '../../../src/engine/engineProcess';
import { defaultModel, defaultTrainConfig } from '../../../src/shared/defaults';
import { engineRelays } from '../../../src/shared/explorerHost';
import type { DatasetSpec, ModelKind } from '../../../src/shared/protocol';
import type { ExplorerHandlers } from './harness';

const ROOT = join(__dirname, '..', '..', '..');

/** Every relayed request, to `sessionId()`'s session of `engine`, as the panel relays them. */
export function relayHandlers(engine: EngineProcess, sessionId: () => string, siblings: string[] = []): ExplorerHandlers {
  return engineRelays({
    request: (method, params, options) => engine.channel.request(method, params, options),
    sessionId: async () => sessionId(),
    siblings: async () => siblings,
  });
}

/** The lecture views that compare with sibling runs, relayed with these siblings. */
export function lectureHandlers(engine: EngineProcess, sessionId: string, siblings: string[]): ExplorerHandlers {
  const relays = relayHandlers(engine, () => sessionId, siblings);
  return { 'explorer/vaeSummary': relays['explorer/vaeSummary'], 'explorer/aeVsPca': relays['explorer/aeVsPca'] };
}

export interface TrainSpec {
  out: string;
  kind: ModelKind;
  latent: number;
  beta?: number;
  epochs?: number;
  /** Dense layer sizes (default [128]). */
  hidden?: number[];
  /** The conv backbone instead of the dense one. */
  conv?: boolean;
  /** Another dataset than the built-in faces (an image folder with an attribute table, say). */
  dataset?: DatasetSpec;
}

/**
 * Trains checkpoints in one engine process (the engine a host would use), one after the other, and
 * returns their checkpoint folders. Built-in faces unless a spec names its dataset, small and quick.
 */
export async function trainCheckpoints(specs: TrainSpec[], samples = 1200): Promise<string[]> {
  const engine = new EngineProcess({ workerPath: join(ROOT, 'src', 'engine', 'worker.ts'), execArgv: ['--import', 'tsx'] });
  try {
    const dirs: string[] = [];
    for (const spec of specs) {
      const model = defaultModel(spec.kind, { latent: spec.latent, hidden: spec.hidden ?? [128], beta: spec.beta, warmupEpochs: 0, ...(spec.conv ? { architecture: 'conv' as const } : {}) });
      const config = defaultTrainConfig(spec.out, spec.dataset ?? { source: 'faces', limit: samples }, model, { epochs: spec.epochs ?? 4, batchSize: 64 });
      const result = await engine.channel.request('train/start', { jobId: spec.out, config }, { timeoutMs: 5 * 60_000 });
      if (!result.checkpointDir) throw new Error(`training ${spec.out} wrote no checkpoint`);
      dirs.push(result.checkpointDir);
    }
    return dirs;
  } finally {
    engine.dispose();
  }
}
