// The sidebar's run index (src/extension/runIndex.ts) and the engine's checkpoint store read the same
// files with the same parser (src/shared/runFiles.ts), so they agree on every run folder: which
// checkpoints are complete, which are damaged and why. The tree marks a damaged checkpoint as such.
// Uses the stand-in `vscode` module over real files.

import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Uri } from 'vscode';
import { scanCheckpoints, writeCheckpoint } from '../../src/engine/checkpoints/checkpointStore';
import { newRunFile, readRunFile, writeRunFile } from '../../src/engine/checkpoints/runFile';
import { buildAutoencoder } from '../../src/engine/models/buildModel';
import { defaultModelSpec } from '../../src/engine/models/defaults';
import { CHECKPOINT_FILE, RUN_FILE } from '../../src/shared/protocol';
import { useCpuBackend } from '../engine/helpers/backend';
import { tinyImages } from '../engine/helpers/tinyData';
import { tinyConfig } from '../engine/helpers/trainConfig';
import { installFakeVscode, FakeUri } from '../reliability/support/fakeVscode';
import { makeTempDir } from '../support/tempDir';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { checkpointNearEpoch, findRuns, readRun, resolveCheckpoint, whyNoCheckpoint } = require('../../src/extension/runIndex') as typeof import('../../src/extension/runIndex');
const { RunsTreeProvider } = require('../../src/extension/runsTree') as typeof import('../../src/extension/runsTree');

const data = tinyImages(8);
const uri = (path: string) => FakeUri.file(path) as unknown as Uri;

describe('run index: the sidebar and the engine agree on runs and checkpoints', () => {
  const temp = makeTempDir();
  let template: string;

  before(async () => {
    await useCpuBackend();
    vscode.root = temp.dir;
    template = join(temp.dir, 'template');
    const model = buildAutoencoder(defaultModelSpec('dense', [...data.sampleShape], { latent: 3, hidden: [16] }), 3);
    const summary = { name: data.name, spec: data.spec, count: data.count, sampleShape: data.sampleShape, factors: [] };
    await writeRunFile(
      template,
      newRunFile({ name: 'template', config: tinyConfig(template, data), dataset: summary, model: model.spec, backend: { backend: 'cpu' } as never }),
    );
    for (const epoch of [1, 2, 3]) {
      const metrics = { epoch, loss: 1 / epoch, valLoss: null, reconstructionMse: 0.1, samplesPerSecond: 100, seconds: 1 };
      await writeCheckpoint(template, epoch, model, { dataset: summary, backend: 'cpu', metrics });
    }
    model.dispose();
  });
  after(() => temp.remove());

  /** A copy of the template run, changed by `damage`. */
  function runWith(name: string, damage: (checkpoints: string) => void): string {
    const dir = join(temp.dir, 'runs', name);
    cpSync(template, dir, { recursive: true });
    damage(join(dir, 'checkpoints'));
    return dir;
  }

  const cut = (path: string, bytes: number) => writeFileSync(path, new Uint8Array(readFileSync(path)).subarray(0, bytes));
  const cases: [string, (checkpoints: string) => void][] = [
    ['intact', () => undefined],
    ['weights.bin cut to 100 bytes', (c) => cut(join(c, 'epoch-0003', 'encoder', 'weights.bin'), 100)],
    ['a model.json removed', (c) => rmSync(join(c, 'epoch-0002', 'decoder', 'model.json'))],
    ['a file padded', (c) => writeFileSync(join(c, 'epoch-0001', 'decoder', 'weights.bin'), new Uint8Array(4), { flag: 'a' })],
    ['checkpoint.json cut', (c) => cut(join(c, 'epoch-0003', CHECKPOINT_FILE), 40)],
    ['checkpoint.json with an unknown backend', (c) => editCheckpoint(join(c, 'epoch-0002'), (f) => (f.backend = 'abacus'))],
    ['checkpoint.json with a fractional epoch', (c) => editCheckpoint(join(c, 'epoch-0002'), (f) => (f.epoch = 2.5))],
    ['a file listed twice as big', (c) => editCheckpoint(join(c, 'epoch-0001'), (f) => (f.files['encoder/model.json'].bytes *= 2))],
    ['a file listed that is a folder', (c) => (rmSync(join(c, 'epoch-0001', 'encoder', 'weights.bin')), mkdirSync(join(c, 'epoch-0001', 'encoder', 'weights.bin')))],
    ['a .tmp-* folder and a folder without checkpoint.json', (c) => (cpSync(join(c, 'epoch-0003'), join(c, '.tmp-epoch-0004-abc'), { recursive: true }), mkdirSync(join(c, 'notes')))],
  ];

  for (const [label, damage] of cases) {
    it(`${label}: the same complete and damaged checkpoints, with the same reasons`, async () => {
      const dir = runWith(label.replace(/\W+/g, '-'), damage);
      const engine = await scanCheckpoints(dir);
      const sidebar = await readRun(uri(dir));
      assert.ok(sidebar, 'the run is listed');
      assert.deepEqual(
        sidebar.checkpoints.map((c) => c.uri.fsPath),
        engine.filter((c) => c.damage === undefined).map((c) => c.dir),
      );
      assert.deepEqual(
        sidebar.damaged.map((d) => [d.uri.fsPath, d.epoch, d.damage]),
        engine.filter((c) => c.damage !== undefined).map((c) => [c.dir, c.epoch, c.damage]),
      );
      if (label !== 'intact' && !label.startsWith('a .tmp')) assert.equal(sidebar.damaged.length, 1, 'the damaged checkpoint is listed as damaged');
    });
  }

  it('lists exactly the run.json files the engine reads', async () => {
    const valid = runWith('run-json-valid', () => undefined);
    const variants: [string, (run: Record<string, unknown>) => void][] = [
      ['no-config', (r) => delete r.config],
      ['unknown-status', (r) => (r.status = 'paused')],
      ['history-of-strings', (r) => (r.history = ['epoch 1'])],
      ['version-2', (r) => (r.version = 2)],
    ];
    for (const [name, edit] of variants) {
      const dir = join(temp.dir, 'runs', `run-json-${name}`);
      cpSync(valid, dir, { recursive: true });
      const run = JSON.parse(readFileSync(join(dir, RUN_FILE), 'utf8'));
      edit(run);
      writeFileSync(join(dir, RUN_FILE), JSON.stringify(run));
      await assert.rejects(readRunFile(dir), /is not a valid run file/, name);
      assert.equal(await readRun(uri(dir)), undefined, `${name}: the sidebar does not list what the engine refuses`);
    }
    const listed = (await findRuns()).map((r) => r.uri.fsPath);
    assert.ok(listed.includes(valid));
    assert.ok(!listed.some((p) => p.includes('run-json-') && p !== valid));
  });

  it('marks a damaged checkpoint in the tree, never opens it, and says why nothing opens', async () => {
    const dir = runWith('tree', (c) => cut(join(c, 'epoch-0003', 'encoder', 'weights.bin'), 100));
    const bytes = JSON.parse(readFileSync(join(dir, 'checkpoints', 'epoch-0003', CHECKPOINT_FILE), 'utf8')).files['encoder/weights.bin'].bytes as number;
    const damage = `encoder/weights.bin is 100 bytes but checkpoint.json records ${bytes.toLocaleString('en')}`;
    const tree = new RunsTreeProvider({ error: () => undefined, info: () => undefined, warn: () => undefined } as never);
    const run = (await tree.getChildren()).find((node) => node.uri.fsPath === dir)!;
    assert.ok(run, 'the run is in the tree');
    assert.match(String(tree.getTreeItem(run).description), /· 1 damaged checkpoint$/);
    const children = await tree.getChildren(run);
    const items = children.map((child) => tree.getTreeItem(child));
    assert.deepEqual(
      items.map((item) => [item.label, item.contextValue]),
      [
        ['epoch 3 (damaged)', 'damagedCheckpoint'],
        ['epoch 2 (latest)', 'checkpoint'],
        ['epoch 1', 'checkpoint'],
      ],
    );
    assert.equal(items[0].description, damage);
    assert.equal(items[0].command, undefined, 'clicking a damaged checkpoint opens nothing');
    assert.equal((items[0].iconPath as { id: string }).id, 'warning');
    tree.dispose();

    assert.equal(await resolveCheckpoint(uri(join(dir, 'checkpoints', 'epoch-0003'))), undefined);
    assert.equal(await resolveCheckpoint(uri(dir)), undefined, 'the run\'s latest is damaged: not quietly an older epoch');
    assert.equal((await resolveCheckpoint(uri(join(dir, 'checkpoints', 'epoch-0002'))))?.file.epoch, 2);
    assert.equal(await whyNoCheckpoint(uri(join(dir, 'checkpoints', 'epoch-0003'))), `The checkpoint runs/tree/checkpoints/epoch-0003 is damaged: ${damage}.`);
    assert.equal(await whyNoCheckpoint(uri(dir)), `The latest checkpoint of runs/tree (runs/tree/checkpoints/epoch-0003) is damaged: ${damage}.`);
  });

  it('finds the checkpoint of an epoch, or the nearest one written (the earlier when two are as near)', async () => {
    const dir = runWith('gap', (c) => rmSync(join(c, 'epoch-0002'), { recursive: true }));
    const epochAt = async (epoch: number) => (await checkpointNearEpoch(uri(dir), epoch))?.file.epoch;
    assert.equal(await epochAt(3), 3);
    assert.equal(await epochAt(2), 1, 'epoch 2 is gone: 1 and 3 are as near, the earlier wins');
    assert.equal(await epochAt(2.6), 3);
    assert.equal(await epochAt(0), 1);
    assert.equal(await epochAt(500), 3);
    const empty = runWith('empty', (c) => rmSync(c, { recursive: true }));
    assert.equal(await checkpointNearEpoch(uri(empty), 1), undefined);
    assert.equal(await checkpointNearEpoch(uri(join(temp.dir, 'nowhere')), 1), undefined);
  });
});

function editCheckpoint(dir: string, edit: (file: any) => void): void {
  const path = join(dir, CHECKPOINT_FILE);
  const file = JSON.parse(readFileSync(path, 'utf8'));
  edit(file);
  writeFileSync(path, JSON.stringify(file));
}
