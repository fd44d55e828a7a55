import assert from 'node:assert/strict';
import { availableParallelism } from 'node:os';
import { describe, it } from 'node:test';
import { trustworthiness } from '../../../src/engine/metrics/trustworthiness';
import { layoutEdges } from '../../../src/engine/project/fuzzyGraph';
import { knn } from '../../../src/engine/project/knn';
import { LayoutOptimizer } from '../../../src/engine/project/layoutOptimizer';
import { firstDue } from '../../../src/engine/project/layoutPart';
import { PartLayout, startLayoutThread } from '../../../src/engine/project/partLayout';
import { seededRandom } from '../../../src/engine/random';
import { runUmap, type UmapOptions } from '../../../src/engine/project/umap';
import { EngineError } from '../../../src/shared/errors';
import { blobs, knnAccuracy } from './blobs';

describe('UMAP layout in two parts', () => {
  const five = blobs(5, 120, 16, 3, 4); // clusters close enough that their edges touch
  const map = (seed: number, options: UmapOptions) => runUmap(five.data, five.rows, five.cols, { seed, nEpochs: 120 }, { twoPartsFrom: 0, ...options });

  it('starts a thread for the second part when there are two cores', async () => {
    const thread = startLayoutThread();
    assert.equal(thread !== undefined, availableParallelism() > 1);
    await thread?.terminate();
    assert.equal(startLayoutThread(1), undefined, 'one thread asked: none started');
  });

  it('gives the same layout in a worker thread as on one thread, the same for the same seed, and streams it', async () => {
    const seen: { epoch: number; points: Float32Array }[] = [];
    const threaded = await map(1, { layoutIntervalMs: 0, onLayout: (points, epoch) => seen.push({ epoch, points }) });
    const oneThread = await map(1, { layoutThreads: 1 });
    assert.deepEqual(threaded, oneThread);
    assert.deepEqual(await map(1, {}), threaded);
    assert.notDeepEqual(await map(2, {}), threaded);
    assert.ok(threaded.every(Number.isFinite));
    assert.ok(seen.length >= 10, `${seen.length} layouts`);
    for (let i = 1; i < seen.length; i++) assert.ok(seen[i].epoch > seen[i - 1].epoch, 'epochs increase');
    assert.deepEqual(seen[seen.length - 1].points, threaded);
  });

  it('keeps neighbourhoods as well as the one-loop optimiser', async () => {
    const parts = await map(2, { layoutThreads: 1 });
    const oneLoop = await map(2, { twoPartsFrom: Infinity });
    const [tParts, tLoop] = [parts, oneLoop].map((points) => trustworthiness(five.data, points, five.rows, five.cols, 10));
    assert.ok(tParts >= tLoop - 0.01, `two parts ${tParts} against one loop ${tLoop}`);
    assert.ok(knnAccuracy(parts, five.labels) > 0.9);
  });

  it('at the size it is used from (4,500 points, NN-descent neighbours): the same map on one thread or two, neighbourhoods kept as the one loop keeps them', async () => {
    const many = blobs(9, 500, 16, 7, 4);
    const run = (options: UmapOptions) => runUmap(many.data, many.rows, many.cols, { seed: 3 }, options);
    const threaded = await run({});
    assert.deepEqual(threaded, await run({ layoutThreads: 1 }));
    const oneLoop = await run({ twoPartsFrom: Infinity });
    const [tParts, tLoop] = [threaded, oneLoop].map((points) => trustworthiness(many.data, points, many.rows, many.cols, 10));
    assert.ok(tLoop > 0.9, `one loop ${tLoop}`);
    assert.ok(tParts >= tLoop - 0.01, `two parts ${tParts} against one loop ${tLoop}`);
  });

  it('runs the second part on the worker when it claims it first and here otherwise, with the same layout', async () => {
    const many = blobs(6, 400, 16, 9, 4);
    const edges = layoutEdges(await knn(many.data, many.rows, many.cols, 15, seededRandom(1)), many.rows, 150);
    const start = Float64Array.from({ length: many.rows * 2 }, (_, i) => Math.sin(i) * 10);
    const run = async (thread: ReturnType<typeof startLayoutThread>) => {
      const layout = new PartLayout(start, many.rows, edges, 150, 0.1, seededRandom(2), thread);
      try {
        while ((await layout.step()) < 150);
        return { points: layout.layout(), onThread: layout.epochsOnThread };
      } finally {
        layout.dispose();
      }
    };
    const alone = await run(undefined);
    assert.equal(alone.onThread, 0);
    const threaded = await run(startLayoutThread());
    assert.ok(threaded.onThread > 0, 'the worker ran some epochs');
    assert.deepEqual(threaded.points, alone.points);
  });

  it('moves nothing before the first epoch an edge is due, then samples from that epoch on', async () => {
    // Three points in a line; the first edge first due at epoch 3, the second at epoch 5.
    const edges = { head: Int32Array.of(0, 1), tail: Int32Array.of(1, 2), epochsPerSample: Float64Array.of(3, 5) };
    assert.equal(firstDue(edges.epochsPerSample), 3);
    assert.equal(firstDue(new Float64Array(0)), Infinity);
    const start = Float64Array.of(0, 0, 1, 0, 2, 0);
    const loop = Float64Array.from(start);
    const optimizer = new LayoutOptimizer(loop, 3, edges, 10, 0.1, seededRandom(1));
    const parts = new PartLayout(start, 3, edges, 10, 0.1, seededRandom(1), undefined);
    for (let epoch = 0; epoch < 3; epoch++) {
      optimizer.step();
      await parts.step();
    }
    assert.deepEqual(loop, start, 'one loop: epochs 0–2 have nothing due');
    assert.deepEqual(parts.layout(), Float32Array.from(start), 'two parts: likewise');
    optimizer.step();
    await parts.step();
    assert.notDeepEqual(loop, start, 'epoch 3 samples the first edge');
    assert.notDeepEqual(parts.layout(), Float32Array.from(start));
  });

  it('stops with a cancelled error mid-layout (and its thread with it)', async () => {
    const controller = new AbortController();
    let layouts = 0;
    await assert.rejects(
      runUmap(five.data, five.rows, five.cols, { seed: 1, nEpochs: 100_000 }, {
        twoPartsFrom: 0,
        signal: controller.signal,
        layoutIntervalMs: 0,
        onLayout: () => {
          if (++layouts === 3) controller.abort();
        },
      }),
      (error: unknown) => EngineError.is(error, 'cancelled'),
    );
    assert.ok(layouts < 100, 'stopped soon after the abort');
  });
});
