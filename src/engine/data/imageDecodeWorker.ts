// A decoding thread of the image-folder loader (bundled as dist/imageDecodeWorker.js, started by
// imageDecodePool.ts): reads and decodes the files it is sent, one message per file, and answers
// with the pixels (transferred, not copied) or with the error that names the file.

import { parentPort, workerData } from 'node:worker_threads';
import { EngineError } from '../../shared/errors';
import { decodeImageFile, type DecodeOptions } from './imageDecode';
import type { DecodeReply, DecodeTask } from './imageDecodePool';

const options = workerData as DecodeOptions;
const port = parentPort;
if (!port) throw new Error('imageDecodeWorker runs as a worker thread of the image-folder loader');

port.on('message', (task: DecodeTask) => {
  decodeImageFile(task.path, options).then(
    (pixels) => port.postMessage({ index: task.index, pixels } satisfies DecodeReply, [pixels.buffer as ArrayBuffer]),
    (error: unknown) => port.postMessage({ index: task.index, error: EngineError.from(error).toJSON() } satisfies DecodeReply),
  );
});
