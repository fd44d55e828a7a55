// The page's half of the chunked session: the host answers `explorer/ready` (and a seek, and a reset)
// with the session's header, and the page pulls its per-sample arrays a chunk (≤ 1 MB) at a time into
// arrays allocated once (src/shared/snapshotChunks.ts). One chunk in flight: the host and the engine
// never queue more than a megabyte for a page, and a page that moves on stops asking. The start and
// each chunk are reported with the PCA positions known so far (every sample's, when the header brought
// them), so the page draws the map while the rest arrive.

import type { ExploreSnapshot } from '../shared/engineApi';
import { EngineError } from '../shared/errors';
import { SnapshotAssembler } from '../shared/snapshotChunks';
import type { ExplorerInit } from '../shared/webviewApi';
import type { ExplorerApi } from './api';

/** What the views are built from: the init with its snapshot complete. */
export type LoadedInit = Omit<ExplorerInit, 'snapshot'> & { snapshot: ExploreSnapshot };

/**
 * The whole snapshot of `init`'s session. Fails `cancelled` when `signal` aborts (another checkpoint
 * is to be shown), and fails when the host has another session meanwhile (a restarted engine).
 */
export async function loadSnapshot(api: ExplorerApi, init: ExplorerInit, signal: AbortSignal, onProgress: (received: number, pcaPoints: Float32Array, placed: number) => void): Promise<LoadedInit> {
  const assembler = new SnapshotAssembler(init.snapshot);
  onProgress(0, assembler.pcaPoints, assembler.placed);
  while (!assembler.complete) {
    const chunk = await api.request('explorer/chunk', { offset: assembler.received }, signal);
    if (signal.aborted) throw new EngineError('cancelled', 'The page moved on');
    // The host reopened the checkpoint (the engine restarted) or moved to another: what is here is of no use.
    if (chunk.sessionId !== init.snapshot.sessionId) throw new EngineError('not-found', 'The checkpoint was opened again meanwhile (did the engine restart?): try again');
    assembler.add(chunk);
    onProgress(assembler.received, assembler.pcaPoints, assembler.placed);
  }
  return { ...init, snapshot: assembler.snapshot() };
}
