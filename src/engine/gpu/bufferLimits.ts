// A batch too big for the adapter's largest storage buffer binding would fail deep inside a WebGPU
// kernel (or, on some drivers, take the device down). Worked out before the first step instead, from
// the layer shapes: every activation of a batch must fit one binding.

import type * as tfl from '@tensorflow/tfjs-layers';
import { badInput } from '../../shared/errors';
import type { GpuAdapterReport } from '../../shared/protocol';

const BYTES_PER_VALUE = 4;

export interface LargestActivation {
  layer: string;
  valuesPerSample: number;
}

/** The layer whose output holds the most values per sample, over the encoder and the decoder. */
export function largestActivation(models: tfl.LayersModel[], inputValuesPerSample: number): LargestActivation {
  let largest: LargestActivation = { layer: 'input', valuesPerSample: inputValuesPerSample };
  for (const model of models) {
    for (const layer of model.layers) {
      const shapes = (Array.isArray(layer.outputShape[0]) ? layer.outputShape : [layer.outputShape]) as (number | null)[][];
      for (const shape of shapes) {
        const values = shape.slice(1).reduce<number>((product, d) => product * (d ?? 1), 1);
        if (values > largest.valuesPerSample) largest = { layer: layer.name, valuesPerSample: values };
      }
    }
  }
  return largest;
}

/** The most samples per batch whose largest activation fits the binding limit. */
export function maxBatchFor(largest: LargestActivation, adapter: GpuAdapterReport): number {
  return Math.floor(adapter.maxStorageBufferBindingSize / (largest.valuesPerSample * BYTES_PER_VALUE));
}

/** Refuses a batch whose largest activation would not fit one storage buffer binding, naming the limit. */
export function checkBatchFits(batchSize: number, largest: LargestActivation, adapter: GpuAdapterReport): void {
  const bytes = batchSize * largest.valuesPerSample * BYTES_PER_VALUE;
  if (bytes <= adapter.maxStorageBufferBindingSize) return;
  const mb = (n: number): string => `${(n / 2 ** 20).toFixed(1)} MB`;
  throw badInput(
    `A batch of ${batchSize} needs a ${mb(bytes)} buffer for layer ${largest.layer} (${largest.valuesPerSample} values a sample), ` +
      `but ${adapter.description || 'this GPU adapter'} allows at most ${mb(adapter.maxStorageBufferBindingSize)} in one storage buffer binding ` +
      `(maxStorageBufferBindingSize): use a batch of at most ${maxBatchFor(largest, adapter)}.`,
  );
}
