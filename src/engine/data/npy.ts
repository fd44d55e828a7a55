// NumPy `.npy` arrays as a Dataset: 1-D and 2-D arrays are vectors, 3-D and 4-D arrays images.
// The header is a Python dict literal; it is checked, and the declared size bounded, before any
// value is read.

import { basename } from 'node:path';
import type { DatasetSpec, Factor } from '../../shared/protocol';
import { badInput, EngineError } from '../../shared/errors';
import { categoryFromStrings } from './categories';
import type { Dataset } from './dataset';
import { formatBytes, formatShape, MAX_DATA_BYTES, readFileLimited } from './fileBytes';

export interface NpyArray {
  /** The descr, e.g. `<f4`. */
  dtype: string;
  shape: number[];
  /**
   * The value at a flat (C-order) index, decoded when asked for, so taking the first rows of a large
   * file never converts the rest. int64 goes through Number, so beyond 2^53 it rounds.
   */
  at(index: number): number;
}

export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

type Reader = (view: DataView, offset: number, littleEndian: boolean) => number;

const READERS: Readonly<Record<string, { bytes: number; read: Reader }>> = {
  f4: { bytes: 4, read: (v, o, le) => v.getFloat32(o, le) },
  f8: { bytes: 8, read: (v, o, le) => v.getFloat64(o, le) },
  i1: { bytes: 1, read: (v, o) => v.getInt8(o) },
  u1: { bytes: 1, read: (v, o) => v.getUint8(o) },
  b1: { bytes: 1, read: (v, o) => (v.getUint8(o) ? 1 : 0) },
  i2: { bytes: 2, read: (v, o, le) => v.getInt16(o, le) },
  u2: { bytes: 2, read: (v, o, le) => v.getUint16(o, le) },
  i4: { bytes: 4, read: (v, o, le) => v.getInt32(o, le) },
  u4: { bytes: 4, read: (v, o, le) => v.getUint32(o, le) },
  i8: { bytes: 8, read: (v, o, le) => Number(v.getBigInt64(o, le)) },
  u8: { bytes: 8, read: (v, o, le) => Number(v.getBigUint64(o, le)) },
};

export function looksLikeNpy(bytes: Uint8Array): boolean {
  return NPY_MAGIC.every((b, i) => bytes[i] === b);
}

export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  if (!looksLikeNpy(bytes)) throw badInput(`${name} is not a .npy file: it does not start with \\x93NUMPY`);
  if (bytes.length < 10) throw badInput(`${name} is truncated: it ends inside the .npy header`);
  const major = bytes[6];
  if (major < 1 || major > 3) throw new EngineError('unsupported', `${name} is a version ${major} .npy file; versions 1 to 3 are supported`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) throw badInput(`${name} is truncated: it ends inside the .npy header`);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const start = 8 + lengthBytes + headerLength;
  if (bytes.length < start) throw badInput(`${name} is truncated: its .npy header says it is ${headerLength} bytes long, the file ends before`);
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(8 + lengthBytes, start));
  const { descr, fortranOrder, shape } = parseHeader(text, name);

  const match = /^([<>|=])([a-z])(\d+)$/.exec(descr);
  const reader = match ? READERS[`${match[2]}${match[3]}`] : undefined;
  if (!match || !reader) {
    throw new EngineError('unsupported', `${name} holds values of type '${descr}'; supported are float (f4, f8), signed (i1, i2, i4, i8), unsigned (u1, u2, u4, u8) and bool (b1)`);
  }
  if (fortranOrder) throw new EngineError('unsupported', `${name} is stored in Fortran (column-major) order; save it in C order, e.g. np.save(path, np.ascontiguousarray(a))`);
  const count = shape.reduce((a, b) => a * b, 1);
  const dataBytes = count * reader.bytes;
  // `!(… <= …)`: a dimension too long for a double is Infinity, and Infinity × 0 is NaN, which `>` lets through.
  if (!(dataBytes <= MAX_DATA_BYTES)) {
    throw badInput(`${name} declares ${formatShape(shape)} values of ${descr} (${formatBytes(dataBytes)}), more than the ${formatBytes(MAX_DATA_BYTES)} a dataset file can hold`);
  }
  const actual = bytes.length - start;
  if (actual < dataBytes) throw badInput(`${name} is truncated: its header declares ${formatShape(shape)} values of ${descr} (${formatBytes(dataBytes)}) but only ${formatBytes(actual)} follow`);
  if (actual > dataBytes) throw badInput(`${name} has ${actual - dataBytes} bytes after the ${formatShape(shape)} values of ${descr} its header declares`);

  const littleEndian = match[1] !== '>'; // '=' is native, little-endian on every platform VS Code runs on
  const data = new DataView(bytes.buffer, bytes.byteOffset + start, dataBytes);
  const { read, bytes: step } = reader;
  return { dtype: descr, shape, at: (index) => read(data, index * step, littleEndian) };
}

function parseHeader(text: string, name: string): { descr: string; fortranOrder: boolean; shape: number[] } {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) throw badInput(`${name} has a malformed .npy header (${JSON.stringify(text.trim().slice(0, 120))})`);
  const dims = shape[1]
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '');
  if (!dims.every((dim) => /^\d+L?$/.test(dim))) throw badInput(`${name} has a malformed shape (${shape[1]}) in its .npy header`);
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims.map((dim) => Number.parseInt(dim, 10)) };
}

export interface NpyDatasetOptions {
  /** 2-D arrays: the index of a column holding labels, taken out of the vectors. */
  labelColumn?: string;
  limit?: number;
  spec?: DatasetSpec;
}

/**
 * A .npy file as a Dataset: (n) → vectors of 1, (n, d) → vectors of d, (n, h, w) → h×w×1 images,
 * (n, h, w, c) → h×w×c images. uint8 images are scaled to [0, 1]; everything else is kept as it is.
 */
export async function loadNpyDataset(path: string, options: NpyDatasetOptions = {}): Promise<Dataset> {
  return npyDataset(parseNpy(await readFileLimited(path), path), path, options);
}

export function npyDataset(array: NpyArray, path: string, options: NpyDatasetOptions = {}): Dataset {
  const { shape, at } = array;
  if (shape.length === 0) throw badInput(`${path} holds a single value, not samples`);
  if (shape.length > 4) throw new EngineError('unsupported', `${path} has ${shape.length} dimensions; .npy datasets have 1 to 4`);
  const n = shape[0];
  if (n === 0) throw badInput(`${path} holds no samples`);
  const count = Math.min(n, options.limit ?? n);
  const spec = options.spec ?? { source: path, ...(options.labelColumn !== undefined ? { labelColumn: options.labelColumn } : {}) };
  const name = basename(path).replace(/\.npy$/i, '');
  const rowSize = shape.slice(1).reduce((a, b) => a * b, 1);
  if (rowSize === 0) throw badInput(`${path} holds samples of shape ${shape.slice(1).join('×')}, which have no values`);

  if (options.labelColumn !== undefined && options.labelColumn !== '') {
    if (shape.length !== 2) throw badInput(`${path} has shape ${formatShape(shape)}: a label column needs a 2-D (samples, columns) array`);
    const column = Number(options.labelColumn);
    if (!Number.isInteger(column) || column < 0 || column >= rowSize) {
      throw badInput(`The label column of ${path} must be a column index from 0 to ${rowSize - 1}, not "${options.labelColumn}"`);
    }
    if (rowSize === 1) throw badInput(`${path} has a single column: with it as the label no values are left`);
    const d = rowSize - 1;
    const x = new Float32Array(count * d);
    const labels: string[] = new Array<string>(count);
    for (let i = 0; i < count; i++) {
      let k = 0;
      for (let j = 0; j < rowSize; j++) {
        const v = at(i * rowSize + j);
        if (j === column) labels[i] = String(v);
        else x[i * d + k++] = finiteValue(v, i * rowSize + j, path);
      }
    }
    const factors: Factor[] = [categoryFromStrings('label', labels, `${path} column ${column}`)];
    return { name, spec, count, sampleShape: [d], x, factors };
  }

  const image = shape.length >= 3;
  const sampleShape = shape.length === 1 ? [1] : shape.length === 2 ? [rowSize] : shape.length === 3 ? [shape[1], shape[2], 1] : shape.slice(1);
  const scale = image && /u1$/.test(array.dtype) ? 1 / 255 : 1;
  const x = new Float32Array(count * rowSize);
  for (let i = 0; i < x.length; i++) x[i] = finiteValue(at(i), i, path) * scale;
  return { name, spec, count, sampleShape, x, factors: [] };
}

/** NaN or infinity would only surface later as a diverged run; refused here, where the file can be named. */
function finiteValue(value: number, index: number, path: string): number {
  if (!Number.isFinite(value)) throw badInput(`${path} holds ${value} at flat index ${index}: datasets must hold finite numbers`);
  return value;
}
