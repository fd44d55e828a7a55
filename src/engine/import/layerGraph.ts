// The layer graph of a loaded Layers model, and where it can be cut in two. A cut after layer L is
// possible when everything downstream of L depends on the input only through L's output (no skip
// connection jumps over it); the bottleneck is the narrowest such cut.

import type * as tfl from '@tensorflow/tfjs-layers';
import { badInput, EngineError } from '../../shared/errors';
import type { BottleneckCandidate } from '../../shared/ecosystemApi';

export interface GraphLayer {
  layer: tfl.layers.Layer;
  /** Names of the layers whose outputs this one takes, in order. */
  inputs: string[];
}

export interface LayerGraph {
  /** Every layer but the input layers, in an order where inputs come first. */
  layers: GraphLayer[];
  inputName: string;
  /** The layers giving the model's outputs, in the model's order. */
  outputNames: string[];
  inputShape: number[];
  outputShapes: number[][];
}

/** The graph of a single-input model whose layers are each applied once (one output unless `anyOutputs`). */
export function layerGraph(model: tfl.LayersModel, path: string, anyOutputs = false): LayerGraph {
  if (model.inputs.length !== 1) throw new EngineError('unsupported', `${path} has ${model.inputs.length} inputs; an autoencoder takes one`);
  if (!anyOutputs && model.outputs.length !== 1) throw new EngineError('unsupported', `${path} has ${model.outputs.length} outputs; an autoencoder gives one reconstruction`);
  const inputName = model.inputs[0].sourceLayer.name;
  const layers: GraphLayer[] = [];
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer') continue;
    if (layer.inboundNodes.length !== 1) {
      throw new EngineError('unsupported', `${path}: layer ${layer.name} is used ${layer.inboundNodes.length} times; shared layers cannot be split`);
    }
    layers.push({ layer, inputs: layer.inboundNodes[0].inboundLayers.map((l) => l.name) });
  }
  return {
    layers,
    inputName,
    outputNames: model.outputs.map((o) => o.sourceLayer.name),
    inputShape: fixedShape(model.inputs[0].shape, `${path}'s input`),
    outputShapes: model.outputs.map((o) => fixedShape(o.shape, `${path}'s output`)),
  };
}

/**
 * Every layer after which the graph can be cut, narrowest first (ties in graph order). The output
 * layer and layers as wide as the input or wider are left out: cutting there splits nothing useful.
 */
export function cutCandidates(graph: LayerGraph): BottleneckCandidate[] {
  const position = new Map<string, number>([[graph.inputName, -1]]);
  graph.layers.forEach((g, i) => position.set(g.layer.name, i));
  const inputSize = size(graph.inputShape);
  const candidates: BottleneckCandidate[] = [];
  graph.layers.forEach((g, i) => {
    if (graph.outputNames.includes(g.layer.name)) return;
    // Cuttable when no edge runs from a layer at or before i (other than i itself) to one after i.
    const crossing = graph.layers.some((later, j) => j > i && later.inputs.some((name) => name !== g.layer.name && (position.get(name) ?? -1) <= i));
    if (crossing) return;
    const shape = outputShapeOf(g.layer);
    if (!shape) return;
    const units = size(shape);
    if (units >= inputSize) return;
    candidates.push({ layer: g.layer.name, className: g.layer.getClassName(), shape, size: units, position: i });
  });
  return candidates.sort((a, b) => a.size - b.size || a.position - b.position);
}

/** The candidate to use: the one named, or the narrowest when it is the only one that narrow. */
export function chooseBottleneck(candidates: BottleneckCandidate[], path: string, named?: string): BottleneckCandidate {
  if (named !== undefined) {
    const found = candidates.find((c) => c.layer === named);
    if (!found) {
      throw badInput(`${path} cannot be cut after layer "${named}"; the layers it can be cut after are ${listCandidates(candidates)}`, { candidates });
    }
    return found;
  }
  if (candidates.length === 0) {
    throw badInput(`${path} has no layer narrower than its input that everything after it depends on, so it has no bottleneck to split at; if its encoder and decoder are separate files, import them as a pair`);
  }
  const tied = candidates.filter((c) => c.size === candidates[0].size);
  if (tied.length > 1) {
    throw badInput(`${path} has ${tied.length} equally narrow layers (${listCandidates(tied)}): choose the bottleneck`, { candidates, ambiguous: true });
  }
  return candidates[0];
}

export function listCandidates(candidates: BottleneckCandidate[]): string {
  return candidates.map((c) => `${c.layer} (${c.className}, ${c.shape.join('×')})`).join(', ') || 'none';
}

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

function outputShapeOf(layer: tfl.layers.Layer): number[] | undefined {
  const shape = layer.outputShape;
  if (!Array.isArray(shape) || Array.isArray(shape[0])) return undefined; // several outputs
  const dims = (shape as (number | null)[]).slice(1);
  return dims.every((d): d is number => typeof d === 'number' && d > 0) ? dims : undefined;
}

function fixedShape(shape: readonly (number | null)[], what: string): number[] {
  const dims = shape.slice(1);
  if (!dims.every((d): d is number => typeof d === 'number' && d > 0)) {
    throw new EngineError('unsupported', `${what} has an open size (${shape.map((d) => d ?? '?').join('×')}); Latent Explorer needs fixed sample shapes`);
  }
  return dims;
}
