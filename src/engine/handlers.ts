// Wires the engine's requests to the engine: what src/engine/worker.ts serves over IPC.
// Kept apart from the process plumbing so tests can serve it over an in-memory channel.

import { randomUUID } from 'node:crypto';
import type { RunDescription } from '../shared/engineApi';
import { EngineError } from '../shared/errors';
import { snapshotChunk, snapshotHeader } from '../shared/snapshotChunks';
import type { CheckpointInfo } from '../shared/protocol';
import { resolveBackend, type BackendOptions } from './backend';
import { listCheckpoints, readCheckpointInfo, resolveCheckpoint } from './checkpoints/checkpointStore';
import { readRunFile } from './checkpoints/runFile';
import { ExploreSession } from './explore/exploreSession';
import * as map from './explore/mapRequests';
import { TimelineCache } from './explore/timelineCache';
import { serveLecture } from './explore/lectureHandlers';
import { serveEcosystem } from './import/ecosystemHandlers';
import { runTrainJob } from './trainJob';
import type { EngineServerChannel } from './engineChannel';

/** Least time between two progress notes of one `explore/open`. */
const PROGRESS_INTERVAL_MS = 250;

export function serveEngine(channel: EngineServerChannel, backendOptions: BackendOptions = {}): { dispose(): void } {
  const sessions = new Map<string, ExploreSession>();
  // Shared by every session: the timeline's reference maps and each checkpoint's final UMAP layout.
  const timeline = new TimelineCache();
  const log = (level: 'info' | 'warn' | 'error', message: string): void => channel.notify('log', { level, message });
  // One run trains at a time: a second waits for the first instead of halving both.
  let trainingQueue: Promise<unknown> = Promise.resolve();

  const session = (id: string): ExploreSession => {
    const found = sessions.get(id);
    if (!found) throw new EngineError('not-found', `No explorer session ${id}: open the checkpoint again`);
    return found;
  };

  channel.handle('backend/resolve', ({ preference }) => resolveBackend(preference, backendOptions));

  channel.handle('train/start', ({ jobId, config }, { signal }) => {
    const job = trainingQueue.then(() =>
      runTrainJob(config, {
        signal,
        backendOptions,
        onEvent: (event) => channel.notify('train/event', { jobId, event }),
        onLog: (message) => log('info', message),
      }),
    );
    trainingQueue = job.catch(() => undefined);
    return job;
  });

  channel.handle('checkpoint/info', async ({ path }) => readCheckpointInfo(await resolveCheckpoint(path)));

  channel.handle('run/describe', async ({ runDir }): Promise<RunDescription> => {
    const run = await readRunFile(runDir);
    const dirs = await listCheckpoints(runDir);
    // One damaged checkpoint must not hide the good ones: list what reads, log what does not.
    const settled = await Promise.allSettled(dirs.map((dir) => readCheckpointInfo(dir)));
    const checkpoints: CheckpointInfo[] = [];
    settled.forEach((outcome, i) => {
      if (outcome.status === 'fulfilled') checkpoints.push(outcome.value);
      else log('warn', `Skipped checkpoint ${dirs[i]}: ${EngineError.from(outcome.reason).message}`);
    });
    return { runDir, run, checkpoints };
  });

  channel.handle('explore/open', async (params) => {
    await resolveBackend('auto', backendOptions);
    const id = randomUUID();
    const { progressId, ...options } = params;
    // At most a few notes a second (a batch of 512 samples can take a few milliseconds), and the last.
    let last = 0;
    const onProgress =
      progressId === undefined
        ? undefined
        : (done: number, total: number) => {
            const now = Date.now();
            if (done < total && now - last < PROGRESS_INTERVAL_MS) return;
            last = now;
            channel.notify('explore/opening', { progressId, done, total });
          };
    const opened = await ExploreSession.open(id, { ...options, ...(onProgress ? { onProgress } : {}) }, timeline);
    sessions.set(id, opened);
    // The per-sample arrays follow in chunks the caller asks for (src/shared/snapshotChunks.ts).
    return snapshotHeader(opened.snapshot);
  });
  channel.handle('explore/chunk', ({ sessionId, offset }) => snapshotChunk(session(sessionId).snapshot, offset));

  channel.handle('explore/project', ({ sessionId, projectionId, params, init }, { signal }) =>
    session(sessionId).project(params, {
      signal,
      init,
      onLayout: (projection, epoch, epochs) => channel.notify('explore/layout', { sessionId, projectionId, projection, epoch, epochs }),
    }),
  );
  channel.handle('explore/reconstructions', ({ sessionId, count, order }) => session(sessionId).reconstructions(count, order));
  channel.handle('explore/decodeGrid', ({ sessionId, grid }) => session(sessionId).decodeGrid(grid));
  channel.handle('explore/decode', ({ sessionId, codes, count }) => session(sessionId).decode(codes, count));
  channel.handle('explore/samples', ({ sessionId, indices }) => session(sessionId).samples(indices));
  serveLecture(channel, session);
  // The map features (src/engine/explore/mapRequests.ts).
  channel.handle('explore/neighbours', ({ sessionId, index, k }) => map.neighbours(session(sessionId), index, k));
  channel.handle('explore/decodeAt', ({ sessionId, method, points, count, k }) => map.decodeAt(session(sessionId), method, points, count, k));
  channel.handle('explore/reconstructSamples', ({ sessionId, indices }) => map.reconstructSamples(session(sessionId), indices));
  channel.handle('explore/trust', ({ sessionId, method, k }) => map.trust(session(sessionId), method, k));
  channel.handle('explore/compare', ({ sessionId, checkpoint, count }) => map.compare(session(sessionId), checkpoint, count));
  serveEcosystem(channel, backendOptions); // import/*, export/*
  channel.handle('explore/close', ({ sessionId }) => {
    sessions.get(sessionId)?.dispose();
    sessions.delete(sessionId);
  });

  return {
    dispose() {
      for (const s of sessions.values()) s.dispose();
      sessions.clear();
    },
  };
}
