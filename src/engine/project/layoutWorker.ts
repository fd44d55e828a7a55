// A thread running one part of UMAP's layout (layoutPart.ts), bundled as dist/layoutWorker.js and
// started by partLayout.ts while the neighbours are searched: its first message is the part, each
// later one an epoch to run, answered with the epoch's number when done. The positions live in
// shared memory.

import { parentPort } from 'node:worker_threads';
import { LayoutPart, type LayoutPartInit } from './layoutPart';

const port = parentPort;
if (!port) throw new Error('layoutWorker runs as a worker thread of the UMAP layout');
let part: LayoutPart | undefined;
port.on('message', (message: LayoutPartInit | number) => {
  if (typeof message !== 'number') {
    part = new LayoutPart(message);
    return;
  }
  part?.epoch(message);
  port.postMessage(message);
});
