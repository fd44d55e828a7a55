// Writes NumPy `.npy` files (format version 1.0): the magic, a little-endian header length, a
// Python dict literal padded with spaces and ended with a newline so the data starts on a 64-byte
// boundary (what numpy writes and memory-maps best), then the float32 values little-endian, C order.

import { NPY_MAGIC } from '../data/npy';

export function encodeNpyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  const count = shape.reduce((a, b) => a * b, 1);
  if (count !== values.length) throw new RangeError(`A shape of ${shape.join('×')} needs ${count} values, not ${values.length}`);
  // Python writes a one-element tuple as (n,).
  const tuple = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': ${tuple}, }`;
  const preamble = NPY_MAGIC.length + 2 + 2; // magic, version, header length
  const unpadded = preamble + dict.length + 1;
  const headerLength = dict.length + 1 + ((64 - (unpadded % 64)) % 64);
  if (headerLength > 0xffff) throw new RangeError('The .npy header is too long for format 1.0');
  const out = new Uint8Array(preamble + headerLength + values.length * 4);
  out.set(NPY_MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  const view = new DataView(out.buffer);
  view.setUint16(8, headerLength, true);
  const header = dict.padEnd(headerLength - 1, ' ') + '\n';
  for (let i = 0; i < header.length; i++) out[preamble + i] = header.charCodeAt(i);
  const start = preamble + headerLength;
  for (let i = 0; i < values.length; i++) view.setFloat32(start + i * 4, values[i], true);
  return out;
}
