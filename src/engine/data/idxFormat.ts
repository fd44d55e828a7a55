// IDX files (the format of MNIST and its relatives), raw or gzipped: a big-endian header
// `00 00 <type> <dims>`, one uint32 per dimension, then the values. Every check runs on the header
// before the values are decompressed or copied, so a lying header costs nothing.

import { badInput } from '../../shared/errors';
import { formatBytes, formatShape, gunzipLimited, gunzipPrefix, isGzip, MAX_DATA_BYTES } from './fileBytes';

export type IdxDtype = 'ubyte' | 'sbyte' | 'short' | 'int' | 'float' | 'double';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  dtype: IdxDtype;
  shape: number[];
  data: IdxData;
}

export interface IdxHeader {
  dtype: IdxDtype;
  shape: number[];
  /** Bytes before the values. */
  headerBytes: number;
  /** Bytes of the values the header declares. */
  dataBytes: number;
}

const DTYPES: Readonly<Record<number, { dtype: IdxDtype; bytes: number }>> = {
  0x08: { dtype: 'ubyte', bytes: 1 },
  0x09: { dtype: 'sbyte', bytes: 1 },
  0x0b: { dtype: 'short', bytes: 2 },
  0x0c: { dtype: 'int', bytes: 4 },
  0x0d: { dtype: 'float', bytes: 4 },
  0x0e: { dtype: 'double', bytes: 8 },
};

/** True when `bytes` start like an IDX file: two zero bytes, a known type and at least one dimension. */
export function looksLikeIdx(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && bytes[0] === 0 && bytes[1] === 0 && bytes[2] in DTYPES && bytes[3] > 0;
}

/** Reads and checks the header; `name` (the file) is in every message. */
export function readIdxHeader(bytes: Uint8Array, name: string): IdxHeader {
  if (bytes.length < 4) throw badInput(`${name} is too short to be an IDX file (${bytes.length} bytes)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw badInput(`${name} is not an IDX file: it starts with ${hex(bytes.subarray(0, 4))} instead of 00 00 <type> <dimensions>`);
  }
  const type = DTYPES[bytes[2]];
  if (!type) {
    throw badInput(`${name} has the unknown IDX data type 0x${hex(bytes.subarray(2, 3))}: known types are 08 (ubyte), 09 (sbyte), 0B (short), 0C (int), 0D (float) and 0E (double)`);
  }
  const dims = bytes[3];
  if (dims === 0) throw badInput(`${name} is an IDX file with no dimensions`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.length < headerBytes) throw badInput(`${name} is truncated: its IDX header of ${dims} dimensions needs ${headerBytes} bytes, the file has ${bytes.length}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  let dataBytes = type.bytes;
  for (let d = 0; d < dims; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    shape.push(size);
    dataBytes *= size;
  }
  // `!(… <= …)` rather than `>`: with dozens of dimensions the product overflows to Infinity, and one
  // zero dimension then makes it NaN, which compares false with everything.
  if (!(dataBytes <= MAX_DATA_BYTES)) {
    throw badInput(`${name} declares ${formatShape(shape)} ${type.dtype} values (${formatBytes(dataBytes)}), more than the ${formatBytes(MAX_DATA_BYTES)} a dataset file can hold: the header is wrong or the file is too large`);
  }
  return { dtype: type.dtype, shape, headerBytes, dataBytes };
}

/** Parses a whole IDX file, gzipped (detected by its 1f 8b magic) or raw. */
export function parseIdx(bytes: Uint8Array, name: string): IdxArray {
  const raw = isGzip(bytes) ? gunzipIdx(bytes, name) : bytes;
  const header = readIdxHeader(raw, name);
  const expected = header.headerBytes + header.dataBytes;
  const describe = `${formatShape(header.shape)} ${header.dtype} values`;
  if (raw.length < expected) {
    throw badInput(`${name} is truncated: its header declares ${describe} (${formatBytes(header.dataBytes)}) but only ${formatBytes(raw.length - header.headerBytes)} of data follow`);
  }
  if (raw.length > expected) throw badInput(`${name} has ${raw.length - expected} bytes after the ${describe} its header declares`);
  return { dtype: header.dtype, shape: header.shape, data: readValues(raw, header) };
}

/** Decompresses no more than the header says the file holds (plus one byte, to notice trailing data). */
function gunzipIdx(bytes: Uint8Array, name: string): Uint8Array {
  const prefix = gunzipPrefix(bytes, name);
  if (prefix.length < 4 || prefix.length < 4 + 4 * prefix[3]) return gunzipLimited(bytes, name);
  const header = readIdxHeader(prefix, name);
  const expected = header.headerBytes + header.dataBytes;
  return gunzipLimited(bytes, name, expected + 1, () =>
    badInput(`${name} holds more data than the ${formatShape(header.shape)} ${header.dtype} values its header declares`),
  );
}

function readValues(raw: Uint8Array, header: IdxHeader): IdxData {
  const start = header.headerBytes;
  const count = header.shape.reduce((a, b) => a * b, 1);
  if (header.dtype === 'ubyte') return raw.slice(start, start + count);
  if (header.dtype === 'sbyte') return new Int8Array(raw.slice(start, start + count).buffer);
  const view = new DataView(raw.buffer, raw.byteOffset + start, header.dataBytes);
  switch (header.dtype) {
    case 'short': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(2 * i, false);
      return out;
    }
    case 'int': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(4 * i, false);
      return out;
    }
    case 'float': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, false);
      return out;
    }
    case 'double': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, false);
      return out;
    }
  }
}

function hex(bytes: Uint8Array): string {
  return [...bytes].map((b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
