// Adam with one pass per weight on the WASM backend. tfjs's AdamOptimizer runs ~14 element-wise
// kernels per weight per step (each a full pass over the weight that allocates its result); for the
// dense AE's 944k weights that was ~8 of a ~27 ms step on this project's reference machine. Here a
// small hand-written WebAssembly SIMD function (simdKernels.wat) does the same arithmetic, op for op in
// float32, in one pass over the backend's own memory. Every other backend takes tfjs's path
// unchanged; weights train in float32 only, so another dtype is refused with the weight named.

import * as tf from '@tensorflow/tfjs-core';
import type { TensorInfo } from '@tensorflow/tfjs-core';
import { adamOnThreads } from './kernelThreads';
import { addressOf, registerSimdKernel, sharedSimdModule, type SimdKernels, simdKernelRuns } from './simdKernels';
import { wasmThreadsInUse } from './wasmThreads';

const KERNEL = 'LatentExplorerFusedAdam';

interface FusedAdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
  oneMinusAccBeta1: number;
  oneMinusAccBeta2: number;
}

/** AdamOptimizer's state, private in its typings; the fused path keeps it exactly as tfjs does. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
}

/**
 * Registers the fused kernel with the WASM backend (its memory is internal to tfjs-backend-wasm; if
 * a release hides it, Adam keeps tfjs's own path).
 */
export function installFusedAdamKernel(): void {
  registerSimdKernel(KERNEL, ({ inputs, attrs, backend, simd }) => {
    const { value, m, v, gradient } = inputs as Record<'value' | 'm' | 'v' | 'gradient', TensorInfo>;
    const a = attrs as unknown as FusedAdamAttrs;
    const outputs = [value, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
    const offset = (t: TensorInfo) => addressOf(backend, t);
    const f32 = Math.fround;
    const args: Parameters<SimdKernels['adam']> = [
      offset(value), offset(m), offset(v), offset(gradient),
      offset(outputs[0]), offset(outputs[1]), offset(outputs[2]), tf.util.sizeFromShape(value.shape),
      // The constants as tfjs's scalars hold them: JavaScript numbers rounded to float32.
      f32(a.beta1), f32(1 - a.beta1), f32(a.beta2), f32(1 - a.beta2),
      f32(a.oneMinusAccBeta1), f32(a.oneMinusAccBeta2), f32(a.epsilon), f32(-a.learningRate),
    ];
    // on two threads, like the GEMM, when the engine kept its threads at start-up
    const shared = wasmThreadsInUse() > 1 ? sharedSimdModule(backend) : undefined;
    if (shared) adamOnThreads(simd, shared, ...args);
    else simd.adam(...args);
    return outputs;
  });
}

/** Whether the current backend runs Adam fused (the WASM backend with its memory reachable). */
export function fusedAdamActive(): boolean {
  return simdKernelRuns(KERNEL);
}

/**
 * tfjs's Adam with the per-weight update in one fused kernel where the backend has it. Same state
 * (moments, accBeta1/2, iterations), so saving, restoring and `getWeights` are tfjs's own, and a
 * checkpoint moves freely between backends.
 */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer['applyGradients']>[0]): void {
    if (!fusedAdamActive()) {
      super.applyGradients(variableGradients);
      return;
    }
    const named = Array.isArray(variableGradients)
      ? variableGradients.map((g) => [g.name, g.tensor] as const)
      : Object.keys(variableGradients).map((name) => [name, variableGradients[name]] as const);
    // tfjs computes 1 − accBeta in float32; the same subtraction of two float32 values, rounded once.
    const state = this as unknown as AdamState;
    const oneMinusAccBeta1 = Math.fround(1 - state.accBeta1.dataSync()[0]);
    const oneMinusAccBeta2 = Math.fround(1 - state.accBeta2.dataSync()[0]);
    tf.tidy(() => {
      named.forEach(([name, gradient], i) => {
        const value = tf.engine().registeredVariables[name];
        state.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        state.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i].variable;
        const v = state.accumulatedSecondMoment[i].variable;
        if (gradient.dtype !== 'float32' || value.dtype !== 'float32' || !tf.util.arraysEqual(gradient.shape, value.shape)) {
          throw new Error(`Adam: ${name} (${value.dtype} ${value.shape}) got a ${gradient.dtype} ${gradient.shape} gradient`);
        }
        const attrs: FusedAdamAttrs = {
          beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, learningRate: this.learningRate,
          oneMinusAccBeta1, oneMinusAccBeta2,
        };
        const [newValue, newM, newV] = tf.engine().runKernel(KERNEL, { value, m, v, gradient }, attrs as never) as tf.Tensor[];
        m.assign(newM);
        v.assign(newV);
        value.assign(newValue);
      });
      state.accBeta1.assign(tf.mul(state.accBeta1, this.beta1));
      state.accBeta2.assign(tf.mul(state.accBeta2, this.beta2));
    });
    this.incrementIterations();
  }
}

/** The optimiser every run trains with: Adam, fused where the backend allows. */
export function adamOptimizer(learningRate: number): tf.AdamOptimizer {
  return new FusedAdamOptimizer(learningRate, 0.9, 0.999);
}
