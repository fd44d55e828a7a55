// The arrays a chart reuses from scene to scene (src/webview/curves/sceneArena.ts): views that never
// overlap within a scene, that survive the arena growing, and that start over at the next scene.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SceneArena } from '../../src/webview/curves/sceneArena';

describe('SceneArena', () => {
  it('hands out disjoint views within a scene, kept intact when the arena grows', () => {
    const arena = new SceneArena();
    const views = [1000, 30_000, 5, 70_000, 12].map((length, i) => {
      const view = arena.float64(length);
      view.fill(i + 1);
      return view;
    });
    views.forEach((view, i) => assert.ok(view.every((v) => v === i + 1), `view ${i} written over`));
    assert.deepEqual(views.map((v) => v.length), [1000, 30_000, 5, 70_000, 12]);
    const floats = [40_000, 3].map((length, i) => arena.float32(length).fill(i + 1));
    assert.ok(floats[0].every((v) => v === 1) && floats[1].every((v) => v === 2));
  });

  it('starts over at the next scene: the same memory serves it', () => {
    const arena = new SceneArena();
    const first = arena.float64(100);
    arena.float64(100);
    arena.reset();
    const again = arena.float64(100);
    assert.equal(again.buffer, first.buffer);
    assert.equal(again.byteOffset, first.byteOffset);
  });
});
