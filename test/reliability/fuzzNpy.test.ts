// Fuzzes the .npy loader with seeded malformed files: truncated, wrong magic or version, lying header
// lengths, unsupported or mismatched dtypes, lying or huge shapes, malformed header dicts, Fortran
// order and NaN values. Every input must end in an EngineError.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { npyDataset, parseNpy } from '../../src/engine/data/npy';
import { EngineError } from '../../src/shared/errors';
import { arrayBufferGrowth, concat, Fuzzer, summary } from './support/fuzz';

const TYPES = [
  { descr: '<f4', bytes: 4 },
  { descr: '<f8', bytes: 8 },
  { descr: '|u1', bytes: 1 },
  { descr: '<i2', bytes: 2 },
  { descr: '<i4', bytes: 4 },
  { descr: '<i8', bytes: 8 },
];

/** A .npy file (version 1 or 2) with the given header text, padded like NumPy pads it. */
function npyFile(header: string, data: Uint8Array, version = 1): Uint8Array {
  const lengthBytes = version === 1 ? 2 : 4;
  let text = header;
  while ((8 + lengthBytes + text.length + 1) % 64 !== 0) text += ' ';
  text += '\n';
  const prefix = new Uint8Array(8 + lengthBytes);
  prefix.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(prefix.buffer);
  if (version === 1) view.setUint16(8, text.length, true);
  else view.setUint32(8, text.length, true);
  return concat(prefix, new TextEncoder().encode(text), data);
}

function dict(descr: string, shape: string, fortran = 'False'): string {
  return `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
}

function tuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function validNpy(f: Fuzzer) {
  const type = f.pick(TYPES);
  const shape = f.random() < 0.5 ? [f.int(1, 8), f.int(1, 6)] : [f.int(1, 5), f.int(1, 4), f.int(1, 4)];
  const count = shape.reduce((a, b) => a * b, 1);
  const data = new Uint8Array(count * type.bytes);
  const view = new DataView(data.buffer);
  for (let i = 0; i < count; i++) {
    if (type.descr === '<f4') view.setFloat32(4 * i, f.random(), true);
    else if (type.descr === '<f8') view.setFloat64(8 * i, f.random(), true);
    else data[i * type.bytes] = f.int(0, 100);
  }
  const version = f.pick([1, 2]);
  return { type, shape, data, version, bytes: npyFile(dict(type.descr, tuple(shape)), data, version) };
}

function load(bytes: Uint8Array): unknown {
  return npyDataset(parseNpy(bytes, 'fuzz.npy'), 'fuzz.npy');
}

function malformedNpy(f: Fuzzer): { label: string; bytes: Uint8Array } {
  const { type, shape, data, version, bytes } = validNpy(f);
  const count = shape.reduce((a, b) => a * b, 1);
  switch (f.int(0, 11)) {
    case 0:
      return { label: 'truncated', bytes: f.truncate(bytes) };
    case 1:
      return { label: 'trailing bytes', bytes: f.extend(bytes) };
    case 2: {
      const out = bytes.slice();
      out[f.int(0, 5)] ^= f.int(1, 255);
      return { label: 'wrong magic', bytes: out };
    }
    case 3: {
      const out = bytes.slice();
      out[6] = f.pick([0, f.int(4, 255)]);
      return { label: 'unknown version', bytes: out };
    }
    case 4: {
      // A header length that lies: longer runs past the file or into the data, shorter cuts the dict.
      const out = bytes.slice();
      const view = new DataView(out.buffer);
      const actual = version === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
      let lie = f.random() < 0.5 ? f.int(0, actual - 1) : f.int(actual + 1, version === 1 ? 65535 : 2 ** 32 - 1);
      if (lie === actual) lie = 0;
      if (version === 1) view.setUint16(8, lie, true);
      else view.setUint32(8, lie, true);
      return { label: 'lying header length', bytes: out };
    }
    case 5: {
      const descr = f.pick(['<c8', '|O', '<U10', '<f2', '|S4', '<M8[ns]', 'float', '', '<f16', '>q8']);
      return { label: `unsupported dtype ${descr}`, bytes: npyFile(dict(descr, tuple(shape)), data, version) };
    }
    case 6: {
      const other = f.pick(TYPES.filter((t) => t.bytes !== type.bytes));
      return { label: 'dtype of another width', bytes: npyFile(dict(other.descr, tuple(shape)), data, version) };
    }
    case 7: {
      // A shape whose product differs from what the data holds.
      const lie = shape.map((n) => n);
      const d = f.int(0, lie.length - 1);
      lie[d] = lie[d] + f.int(1, 50);
      return { label: 'lying shape', bytes: npyFile(dict(type.descr, tuple(lie)), data, version) };
    }
    case 8: {
      if (f.random() < 0.3) {
        // A dimension too long for a double (Infinity) beside a zero one: Infinity × 0 is NaN.
        const dims = [String(f.int(1, 9)), '0', '9'.repeat(f.int(310, 400))].sort(() => f.random() - 0.5);
        return { label: 'overflowing shape', bytes: npyFile(dict(type.descr, `(${dims.join(', ')})`), data, version) };
      }
      const huge = [f.int(10 ** 6, 10 ** 9), f.int(10 ** 6, 10 ** 9), ...(f.random() < 0.5 ? [f.int(2, 10 ** 12)] : [])];
      return { label: 'huge shape', bytes: npyFile(dict(type.descr, tuple(huge)), data, version) };
    }
    case 9: {
      const text = f.pick([
        `{'descr': '${type.descr}', 'shape': ${tuple(shape)}, }`,
        `{'fortran_order': False, 'shape': ${tuple(shape)}, }`,
        `{'descr': '${type.descr}', 'fortran_order': False, }`,
        dict(type.descr, `(${shape.join(', ')}, -1)`),
        dict(type.descr, `(a, b)`),
        dict(type.descr, `(${shape[0]}.5, 2)`),
        dict(type.descr, tuple(shape), 'Maybe'),
        'not a dict at all',
        '',
        '{' + "'x': [".repeat(2000) + ']'.repeat(2000) + '}',
      ]);
      return { label: 'malformed header dict', bytes: npyFile(text, data, version) };
    }
    case 10:
      return { label: 'Fortran order', bytes: npyFile(dict(type.descr, tuple(shape), 'True'), data, version) };
    default: {
      // NaN or infinity among float values.
      const descr = f.pick(['<f4', '<f8']);
      const width = descr === '<f4' ? 4 : 8;
      const values = new DataView(new ArrayBuffer(count * width));
      const bad = f.int(0, count - 1);
      for (let i = 0; i < count; i++) {
        const value = i === bad ? f.pick([NaN, Infinity, -Infinity]) : f.random();
        if (width === 4) values.setFloat32(4 * i, value, true);
        else values.setFloat64(8 * i, value, true);
      }
      return { label: 'NaN values', bytes: npyFile(dict(descr, tuple(shape)), new Uint8Array(values.buffer), version) };
    }
  }
}

describe('fuzzed .npy loader', { timeout: 120_000 }, () => {
  it('loads the unmutated files the fuzzer starts from', () => {
    const f = new Fuzzer(6101);
    for (let i = 0; i < 50; i++) {
      const { bytes, shape } = validNpy(f);
      assert.deepEqual(parseNpy(bytes, 'ok.npy').shape, shape);
      load(bytes);
    }
  });

  it('refuses 2,000 malformed .npy files with an EngineError', (t) => {
    const f = new Fuzzer(6102);
    for (let i = 0; i < 2000; i++) {
      const { label, bytes } = malformedNpy(f);
      f.refuses(`.npy, ${label}`, () => load(bytes));
    }
    t.diagnostic(summary('.npy', f.tally));
  });

  it('refuses a header declaring 10^12 values before allocating anything of that size', () => {
    const bytes = npyFile(dict('<f4', '(1000000, 1000000)'), new Uint8Array(64));
    let error: unknown;
    const grew = arrayBufferGrowth(() => {
      try {
        load(bytes);
      } catch (e) {
        error = e;
      }
    });
    assert.ok(EngineError.is(error, 'bad-input') && /declares 1000000×1000000 values of <f4/.test(error.message), String(error));
    assert.ok(grew < 2 ** 20, `${grew} bytes of buffers allocated while refusing`);
  });
});
