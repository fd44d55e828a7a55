// The settings' defaults and bounds live once, in src/shared/defaults.ts: package.json must declare
// the same (VS Code shows those), and the extension falls back to them for a hand-edited value that
// is out of range or of the wrong type.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SETTINGS } from '../../src/shared/defaults';
import { installFakeVscode } from '../reliability/support/fakeVscode';

const fake = installFakeVscode();
let configured: Record<string, unknown> = {};
(fake.workspace as unknown as { getConfiguration: () => unknown }).getConfiguration = () => ({
  get: (key: string, fallback?: unknown) => (key in configured ? configured[key] : fallback),
});
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { readSettings, SECTION } = require('../../src/extension/settings') as typeof import('../../src/extension/settings');

interface Declared {
  default?: unknown;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
}
const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, Declared> } };
};
const declared = Object.fromEntries(
  Object.entries(manifest.contributes.configuration.properties).map(([key, value]) => [key.slice(`${SECTION}.`.length), value]),
);

describe('settings defaults', () => {
  it('declares in package.json exactly the settings, defaults and bounds of src/shared/defaults.ts', () => {
    assert.deepEqual(Object.keys(declared).sort(), Object.keys(SETTINGS).sort(), 'the same settings');
    for (const [key, spec] of Object.entries(SETTINGS)) {
      const { default: value, minimum, maximum, exclusiveMinimum } = declared[key];
      assert.deepEqual({ default: value, minimum, maximum, exclusiveMinimum }, { minimum: undefined, maximum: undefined, exclusiveMinimum: undefined, ...spec }, key);
    }
  });

  it('reads the defaults when nothing is set', () => {
    configured = {};
    const settings = readSettings();
    assert.equal(settings.batchSize, SETTINGS.batchSize.default);
    assert.equal(settings.learningRate, SETTINGS.learningRate.default);
    assert.equal(settings.pointsCap, SETTINGS.pointsCap.default);
    assert.deepEqual(settings.umap, { nNeighbors: SETTINGS['umap.nNeighbors'].default, minDist: SETTINGS['umap.minDist'].default });
    assert.equal(settings.seed, SETTINGS.seed.default);
    assert.equal(settings.runFolder, SETTINGS.runFolder.default);
    assert.equal(settings.backend, SETTINGS.backend.default);
  });

  it('falls back to the default for a value outside the declared bounds, and keeps one inside', () => {
    configured = { batchSize: 65_537, learningRate: 0, pointsCap: 9, 'umap.nNeighbors': 2.5, 'umap.minDist': '0.3', seed: -1, runFolder: '../out' };
    const bad = readSettings();
    assert.deepEqual(
      [bad.batchSize, bad.learningRate, bad.pointsCap, bad.umap.nNeighbors, bad.umap.minDist, bad.seed, bad.runFolder],
      [128, 0.001, 70_000, 15, 0.1, 1, 'latent-runs'],
    );
    configured = { batchSize: 65_536, learningRate: 1e-9, pointsCap: 10, 'umap.nNeighbors': 200, 'umap.minDist': 1, seed: 2 ** 31 - 1 };
    const edge = readSettings();
    assert.deepEqual([edge.batchSize, edge.learningRate, edge.pointsCap, edge.umap.nNeighbors, edge.umap.minDist, edge.seed], [65_536, 1e-9, 10, 200, 1, 2 ** 31 - 1]);
  });

  it('shows the whole of MNIST (70,000 samples) by default and allows up to a million', () => {
    assert.equal(declared.pointsCap.default, 70_000, 'package.json default');
    assert.equal(declared.pointsCap.maximum, 1_000_000, 'package.json maximum');
    configured = { pointsCap: 1_000_000 };
    assert.equal(readSettings().pointsCap, 1_000_000, 'a million is kept');
    configured = { pointsCap: 1_000_001 };
    assert.equal(readSettings().pointsCap, 70_000, 'more falls back to the default');
  });

});
