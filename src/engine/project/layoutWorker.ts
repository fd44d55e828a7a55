// A thread running one part of UMAP's layout (layoutPart.ts), bundled as dist/layoutWorker.js and
// started by partLayout.ts while the neighbours are searched: its first message is the part, each
// later one an epoch whose part it runs if it claims it before the main thread does
// (partLayout.ts), answered with the epoch's number when done. The positions and the part's
// state live in shared memory.

import { parentPort } from 'node:worker_threads';
import { LayoutPart, type LayoutPartInit } from './layoutPart';

const port = parentPort;
if (!port) throw new Error('layoutWorker runs as a worker thread of the UMAP layout');
let part: LayoutPart | undefined;
let claimed: Int32Array | undefined;
port.on('message', (message: { part: LayoutPartInit; claimed: Int32Array } | number) => {
  if (typeof message !== 'number') {
    part = new LayoutPart(message.part);
    claimed = message.claimed;
    return;
  }
  // Epoch n's part is this thread's only if the main thread has not taken it meanwhile.
  if (!part || !claimed || Atomics.compareExchange(claimed, 0, message, message + 1) !== message) return;
  part.epoch(message);
  port.postMessage(message);
});
