// Which workspace runs the host hands the engine for AE vs PCA and the β comparison
// (src/extension/lectureSiblings.ts): other runs on the same dataset and sample shape, latest
// checkpoint each, never the open run itself, at most MAX_SIBLINGS.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_SIBLINGS, siblingCheckpoints } from '../../src/extension/lectureSiblings';

type Run = Parameters<typeof siblingCheckpoints>[0][number];

const run = (dir: string, dataset: string, shape: number[], epochs: number[]): Run =>
  ({
    uri: { fsPath: dir },
    checkpoints: epochs.map((e) => ({ uri: { fsPath: `${dir}/checkpoints/epoch-${e}` }, file: { dataset: { name: dataset, sampleShape: shape } } })),
  }) as unknown as Run;

describe('sibling runs for the lecture views', () => {
  const current = { runDir: '/ws/runs/faces-vae', dataset: { name: 'faces', sampleShape: [32, 32, 1] } } as Parameters<typeof siblingCheckpoints>[1];

  it('lists the latest checkpoint of each other run on the same data', () => {
    const runs = [
      run('/ws/runs/faces-vae', 'faces', [32, 32, 1], [1, 2]), // the open run itself
      run('/ws/runs/faces-z2', 'faces', [32, 32, 1], [1, 2, 3]),
      run('/ws/runs/faces-28', 'faces', [28, 28, 1], [1]), // another image size
      run('/ws/runs/shapes', 'shapes', [32, 32, 1], [1]),
      run('/ws/runs/empty', 'faces', [32, 32, 1], []), // no checkpoint yet
      run('/ws/runs/faces-beta4', 'faces', [32, 32, 1], [5]),
    ];
    assert.deepEqual(siblingCheckpoints(runs, current), ['/ws/runs/faces-z2/checkpoints/epoch-3', '/ws/runs/faces-beta4/checkpoints/epoch-5']);
  });

  it('passes at most MAX_SIBLINGS', () => {
    const many = Array.from({ length: MAX_SIBLINGS + 5 }, (_, i) => run(`/ws/runs/r${i}`, 'faces', [32, 32, 1], [1]));
    assert.equal(siblingCheckpoints(many, current).length, MAX_SIBLINGS);
  });
});
