// Opens an explorer session in the engine and takes its per-sample arrays chunk by chunk, as the page
// does (src/webview/snapshotLoader.ts), for tests that read a session's codes, errors or PCA map.

import type { EngineChannel } from '../../src/engine/engineProcess';
import type { EngineRequests, ExploreSnapshot, SnapshotHeader } from '../../src/shared/engineApi';
import type { RequestOptions } from '../../src/shared/rpc';
import { SnapshotAssembler } from '../../src/shared/snapshotChunks';

/** The whole snapshot of an open session, and how many `explore/chunk` messages it took. */
export async function readSnapshot(channel: EngineChannel, header: SnapshotHeader, options: RequestOptions = {}): Promise<{ snapshot: ExploreSnapshot; chunks: number }> {
  const assembler = new SnapshotAssembler(header);
  let chunks = 0;
  while (!assembler.complete) {
    assembler.add(await channel.request('explore/chunk', { sessionId: header.sessionId, offset: assembler.received }, options));
    chunks++;
  }
  return { snapshot: assembler.snapshot(), chunks };
}

/** `explore/open`, then every chunk: the session as one snapshot. */
export async function openSnapshot(channel: EngineChannel, params: EngineRequests['explore/open']['params'], options: RequestOptions = {}): Promise<ExploreSnapshot> {
  const header = await channel.request('explore/open', params, options);
  return (await readSnapshot(channel, header, options)).snapshot;
}
