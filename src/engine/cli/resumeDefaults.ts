// `train --resume`: what the resumed run was trained with becomes the default for every flag left
// out, so "one more epoch" trains on the same data, the same validation split (a different seed or
// limit would move held-out samples into training) and the same batch size and learning rate.

import type { TrainConfig } from '../../shared/protocol';
import { resolveCheckpoint, runDirOf } from '../checkpoints/checkpointStore';
import { readRunFile } from '../checkpoints/runFile';

/** The resumed run's recorded configuration, or undefined for a checkpoint without its run.json. */
export async function resumedRunConfig(resumeFrom: string): Promise<TrainConfig | undefined> {
  const checkpoint = await resolveCheckpoint(resumeFrom);
  const run = await readRunFile(runDirOf(checkpoint)).catch(() => undefined);
  return run?.config;
}
