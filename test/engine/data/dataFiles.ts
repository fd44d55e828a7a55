// Builders for small dataset files in every format the loaders read, and the shared MNIST test set.

import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { EngineError, type EngineErrorCode } from '../../../src/shared/errors';

/** Node's Buffer as a plain Uint8Array (the typings of @types/node 20 and TypeScript 5.9 disagree). */
export function bytesOf(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}

export function gzip(bytes: Uint8Array): Uint8Array {
  return bytesOf(gzipSync(bytes));
}

/** IDX type codes by name. */
export const IDX_TYPES = { ubyte: 0x08, sbyte: 0x09, short: 0x0b, int: 0x0c, float: 0x0d, double: 0x0e } as const;

/** An IDX file: `00 00 <type> <dims>`, big-endian dimensions, big-endian values. */
export function idxBytes(type: keyof typeof IDX_TYPES, shape: readonly number[], values: ArrayLike<number>): Uint8Array {
  const size = { ubyte: 1, sbyte: 1, short: 2, int: 4, float: 4, double: 8 }[type];
  const header = 4 + 4 * shape.length;
  const bytes = new Uint8Array(header + values.length * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = IDX_TYPES[type];
  bytes[3] = shape.length;
  shape.forEach((dim, d) => view.setUint32(4 + 4 * d, dim, false));
  for (let i = 0; i < values.length; i++) {
    const at = header + i * size;
    const v = values[i];
    if (type === 'ubyte') view.setUint8(at, v);
    else if (type === 'sbyte') view.setInt8(at, v);
    else if (type === 'short') view.setInt16(at, v, false);
    else if (type === 'int') view.setInt32(at, v, false);
    else if (type === 'float') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return bytes;
}

export interface NpyOptions {
  version?: 1 | 2 | 3;
  fortranOrder?: boolean;
  /** Replaces the whole header dict. */
  header?: string;
}

/** A .npy file of `descr` values (e.g. '<f4', '>i2', '|u1') in C order. */
export function npyBytes(descr: string, shape: readonly number[], values: ArrayLike<number>, options: NpyOptions = {}): Uint8Array {
  const { version = 1, fortranOrder = false } = options;
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  const dict = options.header ?? `{'descr': '${descr}', 'fortran_order': ${fortranOrder ? 'True' : 'False'}, 'shape': ${shapeText}, }`;
  const lengthBytes = version === 1 ? 2 : 4;
  const unpadded = 8 + lengthBytes + dict.length + 1;
  const padded = Math.ceil(unpadded / 64) * 64;
  const headerText = dict + ' '.repeat(padded - unpadded) + '\n';
  const endian = descr[0] === '>' ? false : true;
  const kind = descr.slice(1);
  const size = Number(kind.slice(1));
  const bytes = new Uint8Array(padded + values.length * size);
  const view = new DataView(bytes.buffer);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  if (version === 1) view.setUint16(8, headerText.length, true);
  else view.setUint32(8, headerText.length, true);
  for (let i = 0; i < headerText.length; i++) bytes[8 + lengthBytes + i] = headerText.charCodeAt(i);
  for (let i = 0; i < values.length; i++) {
    const at = padded + i * size;
    const v = values[i];
    switch (kind) {
      case 'f4': view.setFloat32(at, v, endian); break;
      case 'f8': view.setFloat64(at, v, endian); break;
      case 'i1': view.setInt8(at, v); break;
      case 'u1': case 'b1': view.setUint8(at, v); break;
      case 'i2': view.setInt16(at, v, endian); break;
      case 'u2': view.setUint16(at, v, endian); break;
      case 'i4': view.setInt32(at, v, endian); break;
      case 'u4': view.setUint32(at, v, endian); break;
      case 'i8': view.setBigInt64(at, BigInt(v), endian); break;
      case 'u8': view.setBigUint64(at, BigInt(v), endian); break;
      default: throw new Error(`npyBytes cannot write ${descr}`);
    }
  }
  return bytes;
}

/** The read-only MNIST test set kept outside the project (never copied into it). */
export const SHARED_MNIST_DIR = resolve(__dirname, '../../../../shared/data/mnist');

export function sharedMnistFile(name: 't10k-images-idx3-ubyte.gz' | 't10k-labels-idx1-ubyte.gz'): string {
  const path = resolve(SHARED_MNIST_DIR, name);
  assert.ok(
    existsSync(path),
    `The MNIST test set is missing: expected ${path} (the shared data folder ../shared/data/mnist beside the project, which CI provides)`,
  );
  return path;
}

/** Runs `action` and checks it fails with an EngineError of `code` whose message matches `message`. */
export async function assertEngineError(action: () => unknown, code: EngineErrorCode, message: RegExp): Promise<EngineError> {
  let thrown: unknown;
  try {
    await action();
  } catch (error) {
    thrown = error;
  }
  assert.ok(thrown !== undefined, `expected an EngineError ${code} matching ${message}, but nothing was thrown`);
  assert.ok(thrown instanceof EngineError, `expected an EngineError, got ${String(thrown)}`);
  assert.equal(thrown.code, code, `wrong code for: ${thrown.message}`);
  assert.match(thrown.message, message);
  return thrown;
}
