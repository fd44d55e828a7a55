import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { installWasmTrainingKernels } from '../../src/engine/kernels/wasmKernels';
import { setSimdKernelsEnabled } from '../../src/engine/kernels/simdKernels';
import { seededRandom } from '../../src/engine/random';

// Our WASM kernels must give what the stock CPU backend gives, within float tolerance.
function values(shape: number[], seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => random() * 2 - 1);
}

async function on<T>(backend: string, f: () => tf.Tensor): Promise<Float32Array> {
  await tf.setBackend(backend);
  const t = f();
  const data = (await t.data()) as Float32Array;
  t.dispose();
  return data;
}

function assertClose(actual: Float32Array, expected: Float32Array, tolerance = 1e-4): void {
  assert.equal(actual.length, expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / Math.max(1, Math.abs(expected[i])));
  assert.ok(worst < tolerance, `largest relative difference ${worst}`);
}

// Both ways: with the SIMD kernels, and with the JavaScript paths a tfjs release whose memory they
// cannot reach would take.
for (const simd of [true, false]) describe(`WASM training kernels (${simd ? 'SIMD kernels' : 'JavaScript fallbacks'})`, () => {
  before(async () => {
    await tf.setBackend('wasm');
    await tf.ready();
    installWasmTrainingKernels();
    setSimdKernelsEnabled(simd);
  });
  after(() => setSimdKernelsEnabled(true));

  for (const [ta, tb] of [[true, false], [false, true], [true, true]] as const) {
    it(`matMul with transposeA=${ta} transposeB=${tb} matches the CPU backend, batched and not`, async () => {
      const aShape = ta ? [3, 20, 7] : [3, 7, 20];
      const bShape = tb ? [3, 5, 20] : [3, 20, 5];
      const run = () => tf.tidy(() => tf.matMul(tf.tensor(values(aShape, 1), aShape), tf.tensor(values(bShape, 2), bShape), ta, tb));
      assertClose(await on('wasm', run), await on('cpu', run));
      const run2d = () => tf.tidy(() => tf.matMul(tf.tensor(values(aShape.slice(1), 3), aShape.slice(1)), tf.tensor(values(bShape.slice(1), 4), bShape.slice(1)), ta, tb));
      assertClose(await on('wasm', run2d), await on('cpu', run2d));
    });
  }

  it('matMul with transposeB where B is a big weight matrix (computed as (B·Aᵀ)ᵀ) matches the CPU backend', async () => {
    // m·k + m·n < n·k: a dense layer's input gradient, a batch of 4 against 50 × 30 weights
    for (const [aShape, bShape] of [
      [[4, 30], [50, 30]],
      [[2, 4, 30], [2, 50, 30]],
    ]) {
      const run = () => tf.tidy(() => tf.matMul(tf.tensor(values(aShape, 21), aShape), tf.tensor(values(bShape, 22), bShape), false, true));
      assertClose(await on('wasm', run), await on('cpu', run));
    }
  });

  for (const axes of [[0], [0, 1], [0, 1, 2], [1], [1, 2], [-1], [2, 0, 1]]) {
    it(`sum over axes ${axes.join(',')} (leading axes in one pass, others stock) matches the CPU backend`, async () => {
      const shape = [5, 3, 4, 6];
      const run = () => tf.tidy(() => tf.sum(tf.tensor(values(shape, 23), shape), axes));
      assertClose(await on('wasm', run), await on('cpu', run));
      const kept = () => tf.tidy(() => tf.sum(tf.tensor(values(shape, 24), shape), axes, true));
      assertClose(await on('wasm', kept), await on('cpu', kept));
    });
  }

  for (const [pad, stride, size, channels, filters] of [['same', 2, 8, 3, 4], ['valid', 1, 7, 3, 5], ['same', 1, 5, 1, 16], ['valid', 2, 9, 6, 3], [1, 2, 6, 2, 9]] as const) {
    it(`Conv2D (pad ${pad}, stride ${stride}, ${size}×${size}×${channels} into ${filters} filters) matches the CPU backend`, async () => {
      const xShape: [number, number, number, number] = [2, size, size, channels];
      const filterShape: [number, number, number, number] = [3, 3, channels, filters];
      const run = () => tf.tidy(() => tf.conv2d(tf.tensor4d(values(xShape, 31), xShape), tf.tensor4d(values(filterShape, 32), filterShape), stride, pad));
      assertClose(await on('wasm', run), await on('cpu', run));
    });
  }

  it('a dilated Conv2D (the stock kernel) matches the CPU backend', async () => {
    const xShape: [number, number, number, number] = [2, 9, 9, 3];
    const filterShape: [number, number, number, number] = [3, 3, 3, 4];
    const run = () => tf.tidy(() => tf.conv2d(tf.tensor4d(values(xShape, 33), xShape), tf.tensor4d(values(filterShape, 34), filterShape), 1, 'same', 'NHWC', 2));
    assertClose(await on('wasm', run), await on('cpu', run));
  });

  for (const [pad, stride, size] of [['same', 2, 8], ['valid', 1, 7], ['same', 1, 5], ['valid', 2, 9]] as const) {
    it(`Conv2DBackpropFilter (pad ${pad}, stride ${stride}, ${size}×${size}) matches the CPU backend`, async () => {
      const xShape = [2, size, size, 3];
      const filterShape: [number, number, number, number] = [3, 3, 3, 4];
      const out = tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape, stride, 1, pad);
      const dyShape = [2, out.outHeight, out.outWidth, 4];
      // the filter gradient of a convolution is exactly Conv2DBackpropFilter(x, dy)
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(values(xShape, 5), xShape as [number, number, number, number]);
          const dy = tf.tensor4d(values(dyShape, 6), dyShape as [number, number, number, number]);
          const filter = tf.tensor4d(values(filterShape, 9), filterShape);
          return tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, stride, pad), dy)))(filter);
        });
      assertClose(await on('wasm', run), await on('cpu', run));
    });
  }

  for (const [pad, stride, size] of [['same', 2, 8], ['valid', 1, 7], ['same', 1, 5], ['valid', 2, 9]] as const) {
    it(`Conv2DBackpropInput (pad ${pad}, stride ${stride}, ${size}×${size}) matches the CPU backend`, async () => {
      const xShape = [2, size, size, 3];
      const filterShape: [number, number, number, number] = [3, 3, 3, 4];
      // the input gradient of a convolution is exactly Conv2DBackpropInput(dy, filter)
      const run = () =>
        tf.tidy(() => {
          const x = tf.tensor4d(values(xShape, 15), xShape as [number, number, number, number]);
          const filter = tf.tensor4d(values(filterShape, 16), filterShape);
          const out = tf.conv2d(x, filter, stride, pad);
          const dy = tf.tensor(values(out.shape, 17), out.shape);
          return tf.grad((input: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, filter, stride, pad), dy)))(x);
        });
      assertClose(await on('wasm', run), await on('cpu', run));
    });
  }

  it('Conv2DBackpropFilter and Conv2DBackpropInput of a one-channel image into many filters (the first layer) match the CPU backend', async () => {
    // K = 3·3·1 = 9 patch columns < 16 filters: the filter gradient transposes the patches, not dy
    const xShape: [number, number, number, number] = [3, 10, 10, 1];
    const filterShape: [number, number, number, number] = [3, 3, 1, 16];
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values(xShape, 25), xShape);
        const filter = tf.tensor4d(values(filterShape, 26), filterShape);
        const dy = tf.tensor(values([3, 5, 5, 16], 27), [3, 5, 5, 16]);
        const [dx, dw] = tf.grads((input: tf.Tensor, f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(input as tf.Tensor4D, f as tf.Tensor4D, 2, 'same'), dy)))([x, filter]);
        return tf.concat([tf.reshape(dx, [-1]), tf.reshape(dw, [-1])]);
      });
    assertClose(await on('wasm', run), await on('cpu', run));
  });

  it('trains a transposed convolution (the decoder side) like the CPU backend', async () => {
    const run = () =>
      tf.tidy(() => {
        const x = tf.tensor4d(values([2, 4, 4, 3], 10), [2, 4, 4, 3]);
        const filter = tf.tensor4d(values([3, 3, 2, 3], 11), [3, 3, 2, 3]);
        const target = tf.tensor4d(values([2, 8, 8, 2], 12), [2, 8, 8, 2]);
        return tf.grad((f: tf.Tensor) => tf.sum(tf.square(tf.sub(tf.conv2dTranspose(x, f as tf.Tensor4D, [2, 8, 8, 2], 2, 'same'), target))))(filter);
      });
    assertClose(await on('wasm', run), await on('cpu', run));
  });

  it('survives the wasm heap growing while it builds patches (a training-sized batch)', async () => {
    await tf.setBackend('wasm');
    // 128 images of 14×14×32 into 64 filters: ~7 MB of patches, enough to grow the heap
    const filterShape: [number, number, number, number] = [3, 3, 32, 64];
    const gradient = tf.tidy(() => {
      const x = tf.tensor4d(values([128, 14, 14, 32], 13), [128, 14, 14, 32]);
      const dy = tf.tensor4d(values([128, 7, 7, 64], 14), [128, 7, 7, 64]);
      return tf.grad((f: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(x, f as tf.Tensor4D, 2, 'same'), dy)))(tf.zeros(filterShape));
    });
    const data = await gradient.data();
    gradient.dispose();
    assert.equal(data.length, 3 * 3 * 32 * 64);
    assert.ok(data.every(Number.isFinite));
  });

  it('leaves no tensors or buffers behind', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const beforeBytes = tf.memory().numBytes;
    const grads = tf.tidy(() => {
      const x = tf.tensor4d(values([2, 8, 8, 2], 7), [2, 8, 8, 2]);
      const f = tf.variable(tf.tensor4d(values([3, 3, 2, 3], 8), [3, 3, 2, 3]));
      const g = tf.grad((filter: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, filter as tf.Tensor4D, 2, 'same'))))(f);
      f.dispose();
      return g;
    });
    assert.deepEqual(grads.shape, [3, 3, 2, 3]);
    grads.dispose();
    assert.equal(tf.memory().numTensors, before);
    assert.equal(tf.memory().numBytes, beforeBytes);
  });
});
