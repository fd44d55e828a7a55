// Fuzzes the IDX loader (raw and gzip) with seeded malformed files: truncated, wrong magic, unknown
// types, lying or huge dimensions, trailing data, NaN values, broken gzip streams and gzip bombs.
// Every input must end in an EngineError; a header declaring 10^12 values is refused before any
// buffer of that size exists.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gzipSync as gzipBuffer } from 'node:zlib';
import { idxDataset } from '../../src/engine/data/idx';
import { parseIdx } from '../../src/engine/data/idxFormat';
import { EngineError } from '../../src/shared/errors';
import { arrayBufferGrowth, concat, Fuzzer, summary } from './support/fuzz';

const gzipSync = (bytes: Uint8Array): Uint8Array => new Uint8Array(gzipBuffer(bytes));

const DTYPES = [
  { code: 0x08, bytes: 1 },
  { code: 0x09, bytes: 1 },
  { code: 0x0b, bytes: 2 },
  { code: 0x0c, bytes: 4 },
  { code: 0x0d, bytes: 4 },
  { code: 0x0e, bytes: 8 },
];

function idxHeader(code: number, shape: readonly number[]): Uint8Array {
  const header = new Uint8Array(4 + 4 * shape.length);
  header[2] = code;
  header[3] = shape.length;
  const view = new DataView(header.buffer);
  shape.forEach((size, d) => view.setUint32(4 + 4 * d, size >>> 0, false));
  return header;
}

/** A valid IDX file of random images: (n, h, w) of the given type, values in range for it. */
function validIdx(f: Fuzzer): { bytes: Uint8Array; shape: number[]; type: (typeof DTYPES)[number] } {
  const type = f.pick(DTYPES);
  const shape = [f.int(1, 6), f.int(1, 5), f.int(1, 5)];
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(count * type.bytes);
  const view = new DataView(data.buffer);
  for (let i = 0; i < count; i++) {
    if (type.code === 0x0d) view.setFloat32(4 * i, f.random(), false);
    else if (type.code === 0x0e) view.setFloat64(8 * i, f.random(), false);
    else data[i * type.bytes] = f.int(0, 100);
  }
  return { bytes: concat(idxHeader(type.code, shape), data), shape, type };
}

/** Parses and builds the dataset, as loadIdxDataset does once the bytes are read. */
function load(bytes: Uint8Array): unknown {
  const array = parseIdx(bytes, 'fuzz.idx');
  return idxDataset(array, 'fuzz.idx', undefined, { spec: { source: 'fuzz.idx' } });
}

/** One malformed IDX file, by a mutation chosen at random; each one is invalid by construction. */
function malformedIdx(f: Fuzzer): { label: string; bytes: Uint8Array } {
  const { bytes, shape, type } = validIdx(f);
  const out = bytes.slice();
  const view = new DataView(out.buffer);
  switch (f.int(0, 9)) {
    case 0:
      return { label: 'truncated', bytes: f.truncate(bytes) };
    case 1:
      return { label: 'trailing bytes', bytes: f.extend(bytes) };
    case 2:
      out[f.int(0, 1)] = f.int(1, 255);
      return { label: 'wrong magic', bytes: out };
    case 3: {
      let code = f.int(0, 255);
      while (DTYPES.some((t) => t.code === code)) code = f.int(0, 255);
      out[2] = code;
      return { label: 'unknown data type', bytes: out };
    }
    case 4: {
      // A lying dimension: any other size changes how many values the header declares.
      const d = f.int(0, shape.length - 1);
      let size = f.int(0, 1000);
      while (size === shape[d]) size = f.int(0, 1000);
      view.setUint32(4 + 4 * d, size, false);
      return { label: 'lying dimension', bytes: out };
    }
    case 5:
      view.setUint32(4 + 4 * f.int(0, shape.length - 1), f.int(2 ** 24, 2 ** 32 - 1), false);
      return { label: 'huge dimension', bytes: out };
    case 6: {
      // Another type of another width: the data no longer fits the header.
      out[2] = f.pick(DTYPES.filter((t) => t.bytes !== type.bytes)).code;
      return { label: 'wrong data type', bytes: out };
    }
    case 7: {
      // Many dimensions whose product overflows to Infinity, one of them zero: Infinity × 0 is NaN.
      const dims = f.int(40, 255);
      const sizes = Array.from({ length: dims }, () => 2 ** 32 - 1);
      sizes[f.int(0, dims - 1)] = 0;
      return { label: 'overflowing dimensions', bytes: concat(idxHeader(type.code, sizes), f.bytes(f.int(0, 64))) };
    }
    case 8: {
      // Float images with a NaN or infinite value among them.
      const code = f.pick([0x0d, 0x0e]);
      const width = code === 0x0d ? 4 : 8;
      const n = shape.reduce((a, b) => a * b, 1);
      const data = new DataView(new ArrayBuffer(n * width));
      const bad = f.int(0, n - 1);
      for (let i = 0; i < n; i++) {
        const value = i === bad ? f.pick([NaN, Infinity, -Infinity]) : f.random();
        if (code === 0x0d) data.setFloat32(4 * i, value, false);
        else data.setFloat64(8 * i, value, false);
      }
      return { label: 'NaN values', bytes: concat(idxHeader(code, shape), new Uint8Array(data.buffer)) };
    }
    default:
      // Zero dimensions, or a dimension count the file is too short for.
      out[3] = f.pick([0, f.int(shape.length + 1, 255)]);
      return { label: 'wrong dimension count', bytes: f.random() < 0.5 ? out : out.slice(0, 4 + 4 * shape.length) };
  }
}

describe('fuzzed IDX loader', { timeout: 120_000 }, () => {
  it('loads the unmutated files the fuzzer starts from (so refusals below mean something)', () => {
    const f = new Fuzzer(6001);
    for (let i = 0; i < 50; i++) {
      const { bytes, shape } = validIdx(f);
      assert.deepEqual(parseIdx(bytes, 'ok.idx').shape, shape);
      assert.deepEqual(parseIdx(gzipSync(bytes), 'ok.idx.gz').shape, shape);
      load(bytes);
    }
  });

  it('refuses 3,000 malformed raw IDX files with an EngineError', (t) => {
    const f = new Fuzzer(6002);
    for (let i = 0; i < 3000; i++) {
      const { label, bytes } = malformedIdx(f);
      f.refuses(`raw IDX, ${label}`, () => load(bytes));
    }
    t.diagnostic(summary('IDX raw', f.tally));
  });

  it('refuses 1,200 malformed gzipped IDX files: bad contents, cut or corrupted streams, bombs', (t) => {
    const f = new Fuzzer(6003);
    for (let i = 0; i < 1200; i++) {
      const kind = f.int(0, 3);
      if (kind === 0) {
        const { label, bytes } = malformedIdx(f);
        f.refuses(`gzip IDX, ${label}`, () => load(gzipSync(bytes)));
      } else if (kind === 1) {
        const gz = gzipSync(validIdx(f).bytes);
        f.refuses('gzip stream cut short', () => load(f.truncate(gz)));
      } else if (kind === 2) {
        // A flipped byte in the deflate data or its CRC/length trailer (CRC-32 catches every one-byte change).
        const gz = gzipSync(validIdx(f).bytes);
        const at = f.int(10, gz.length - 1);
        gz[at] ^= f.int(1, 255);
        f.refuses('gzip stream corrupted', () => load(gz));
      } else {
        // A bomb: a small header followed by megabytes of zeros it does not declare.
        const { bytes } = validIdx(f);
        const bomb = gzipSync(concat(bytes, new Uint8Array(f.int(1, 4) * 2 ** 20)));
        f.refuses('gzip bomb', () => load(bomb));
      }
    }
    t.diagnostic(summary('IDX gzip', f.tally));
  });

  it('refuses a header declaring 10^12 values before allocating anything of that size, raw or gzipped', () => {
    // 10^6 × 10^6 unsigned bytes: 1 TB declared by a 12-byte header.
    const header = idxHeader(0x08, [1_000_000, 1_000_000]);
    for (const bytes of [header, concat(header, new Uint8Array(1024)), gzipSync(concat(header, new Uint8Array(1024)))]) {
      let error: unknown;
      const grew = arrayBufferGrowth(() => {
        try {
          parseIdx(bytes, 'huge.idx');
        } catch (e) {
          error = e;
        }
      });
      assert.ok(EngineError.is(error, 'bad-input') && /declares 1000000×1000000 ubyte values/.test(error.message), String(error));
      assert.ok(grew < 2 ** 20, `${grew} bytes of buffers allocated while refusing`);
    }
  });
});

