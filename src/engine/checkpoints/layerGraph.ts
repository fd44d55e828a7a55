// Checks the layer graph of a model.json before tfjs-layers sees it. tfjs builds a functional model
// by looping until every layer's inbound nodes are processed; a node naming a layer that does not
// exist, a node index no layer will ever have, or a cycle keeps that loop going forever (found by
// test/reliability/fuzzModelJson.test.ts). Here the same processing order is simulated on the plain
// JSON, with a check that every pass makes progress, so such a file is refused instead of hanging.

import { isRecord } from './boundedRead';

/** More layers than any autoencoder has; bounds the simulation below. */
const MAX_LAYERS = 10_000;

type Bad = (problem: string) => Error;

export function checkLayerGraph(topology: Record<string, unknown>, bad: Bad, depth = 0): void {
  if (depth > 8) throw bad('models are nested more than 8 deep');
  const config = topology.config;
  // Sequential models list their layers without inbound nodes: nothing can wait on anything.
  const layers = Array.isArray(config) ? config : isRecord(config) ? config.layers : undefined;
  if (layers === undefined) return;
  if (!Array.isArray(layers)) throw bad('the topology\'s layers are not a list');
  if (layers.length > MAX_LAYERS) throw bad(`it has ${layers.length} layers, more than ${MAX_LAYERS}`);
  for (const layer of layers) {
    if (isRecord(layer) && isRecord(layer.config) && (Array.isArray(layer.config.layers) || Array.isArray(layer.config))) checkLayerGraph(layer, bad, depth + 1);
  }
  if (Array.isArray(config) || !layers.some((layer) => isRecord(layer) && layer.inbound_nodes !== undefined)) return;

  const nodes = new Map<string, unknown[][]>();
  for (const layer of layers) {
    if (!isRecord(layer) || typeof layer.name !== 'string') throw bad('a layer has no name');
    if (nodes.has(layer.name)) throw bad(`two layers are named ${JSON.stringify(layer.name)}`);
    const inbound = layer.inbound_nodes ?? [];
    if (!Array.isArray(inbound) || !inbound.every(Array.isArray)) throw bad(`the inbound nodes of layer ${JSON.stringify(layer.name)} are not lists`);
    nodes.set(layer.name, inbound as unknown[][]);
  }
  // Nodes each layer has once built: an InputLayer has its own; every processed inbound node adds one.
  const built = new Map<string, number>();
  for (const layer of layers as Record<string, unknown>[]) built.set(layer.name as string, layer.class_name === 'InputLayer' ? 1 : 0);
  const next = new Map<string, number>([...nodes.keys()].map((name) => [name, 0]));
  const ready = (node: unknown[]): boolean =>
    node.every((tensor) => {
      if (!Array.isArray(tensor) || typeof tensor[0] !== 'string' || !Number.isInteger(tensor[1])) throw bad('an inbound node is not [layer, node index, tensor index]');
      if (!nodes.has(tensor[0])) throw bad(`a layer's input names the layer ${JSON.stringify(tensor[0])}, which does not exist`);
      return (built.get(tensor[0]) ?? 0) > (tensor[1] as number);
    });
  let pending = [...nodes.values()].reduce((sum, list) => sum + list.length, 0);
  while (pending > 0) {
    let progressed = false;
    for (const [name, list] of nodes) {
      let at = next.get(name)!;
      while (at < list.length && ready(list[at])) {
        at++;
        pending--;
        built.set(name, built.get(name)! + 1);
        progressed = true;
      }
      next.set(name, at);
    }
    if (!progressed) {
      const stuck = [...nodes.keys()].find((name) => next.get(name)! < nodes.get(name)!.length);
      throw bad(`layer ${JSON.stringify(stuck)} waits on an input that is never built (a cycle or a node index that does not exist)`);
    }
  }
  for (const key of ['input_layers', 'output_layers'] as const) {
    const ends = (config as Record<string, unknown>)[key];
    if (!Array.isArray(ends)) throw bad(`${key} is not a list`);
    for (const end of ends) {
      if (!Array.isArray(end) || typeof end[0] !== 'string' || !nodes.has(end[0]) || !Number.isInteger(end[1]) || end[1] < 0 || end[1] >= built.get(end[0])!) {
        throw bad(`${key} names ${JSON.stringify(end)}, which is not a built layer node`);
      }
    }
  }
}
