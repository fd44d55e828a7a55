// What loading the data left out (an attribute table's unmatched images and rows) arrives with the
// start of training; *Train Autoencoder…* shows each warning once and keeps it in the log. The stand-in
// `vscode` module answers the prompts with their defaults; the engine is a stand-in that announces
// the start with two warnings and finishes.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrainEvent, TrainResult } from '../../src/shared/protocol';
import { installFakeVscode } from '../reliability/support/fakeVscode';
import { makeTempDir } from '../support/tempDir';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { Trainer } = require('../../src/extension/trainCommand') as typeof import('../../src/extension/trainCommand');

describe('training warnings in VS Code', () => {
  it('shows each warning of the start event once, and logs it', async () => {
    const temp = makeTempDir();
    vscode.root = temp.dir;
    try {
      const warnings = ['1 of 30 images have no row in attrs.csv and are left out: 005.png', '2 of 31 rows of attrs.csv name no loaded image, the first "x.png" on line 4'];
      vscode.window.showQuickPick = async (items) => items[0];
      vscode.window.showInputBox = async (options: { value?: string }) => options.value;
      vscode.window.withProgress = async (_options: unknown, task: (progress: unknown, token: unknown) => Promise<unknown>) =>
        task({ report: () => undefined }, { onCancellationRequested: () => ({ dispose: () => undefined }) });
      const shown: string[] = [];
      vscode.window.showWarningMessage = async (message: string) => (shown.push(message), undefined);
      const logged: string[] = [];
      const log = { info: () => undefined, warn: (message: string) => logged.push(message), error: () => undefined, show: () => undefined };
      let listener: ((note: { jobId: string; event: TrainEvent }) => void) | undefined;
      const engine = {
        onTrainEvent: (l: typeof listener) => ((listener = l), { dispose: () => undefined }),
        onEngineLog: () => ({ dispose: () => undefined }),
        request: async (method: string, params: { jobId: string; config: { runDir: string } }): Promise<TrainResult> => {
          assert.equal(method, 'train/start');
          const start = { type: 'start', runDir: params.config.runDir, backend: { backend: 'cpu', summary: 'cpu' }, dataset: { name: 'img', sampleShape: [8, 8, 1] }, startEpoch: 0, epochs: 1, trainSamples: 26, validationSamples: 3, warnings };
          listener?.({ jobId: params.jobId, event: start as unknown as TrainEvent });
          return { runDir: params.config.runDir, checkpointDir: null, status: 'completed', epochsCompleted: 1, history: [], backend: { backend: 'cpu' } } as unknown as TrainResult;
        },
      };
      const trainer = new Trainer(engine as never, log as never, () => undefined, async () => undefined);
      await trainer.train();
      assert.deepEqual(shown, warnings.map((w) => `Latent Explorer: ${w}`));
      assert.deepEqual(logged, warnings);
      trainer.dispose();
    } finally {
      temp.remove();
    }
  });
});
