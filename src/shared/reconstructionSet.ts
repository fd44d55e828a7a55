// Samples shown next to what the model made of them: the answer of the explorer's reconstruction
// requests, core (engineApi.ts) and map (mapApi.ts) alike. A leaf, so those two need not import each other.

export interface ReconstructionSet {
  indices: Int32Array;
  sampleShape: number[];
  originals: Float32Array;
  reconstructions: Float32Array;
  errors: Float32Array;
}
