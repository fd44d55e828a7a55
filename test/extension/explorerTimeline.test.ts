// The timeline through the real explorer panel (src/extension/explorerPanel.ts, explorerPanels.ts) with
// the stand-in `vscode` module, a fake webview and a real engine serving a real three-epoch run: the
// explorer opened "at epoch 2" from outside ({ run, epoch }) answers the page with the run's timeline
// sitting at epoch 2 and its PCA map aligned onto epoch 3; a seek moves the panel (title, its key among
// the panels) and answers with the new epoch's state; a seek outside the run is refused; of two quick
// seeks the second is the one shown.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EngineChannel } from '../../src/engine/engineProcess';
import type { EngineServerChannel } from '../../src/engine/engineChannel';
import { serveEngine } from '../../src/engine/handlers';
import { defaultModel, defaultTrainConfig } from '../../src/shared/defaults';
import { EngineError } from '../../src/shared/errors';
import { RpcChannel, transportPair, type Transport } from '../../src/shared/rpc';
import type { ExplorerNotifications, ExplorerRequests, WebviewNotifications } from '../../src/shared/webviewApi';
import { installFakeVscode } from '../reliability/support/fakeVscode';
import { makeTempDir } from '../support/tempDir';
import { SnapshotAssembler } from '../../src/shared/snapshotChunks';

const vscode = installFakeVscode();
// Loaded after the stand-in is installed (require, not import: imports are hoisted above it).
const { ExplorerPanels } = require('../../src/extension/explorerPanels') as typeof import('../../src/extension/explorerPanels');

type PageChannel = RpcChannel<ExplorerRequests, Record<string, never>, WebviewNotifications, ExplorerNotifications>;

/** A webview panel whose page is an RpcChannel in this process. */
function fakePanel(): { panel: Record<string, unknown> & { title: string; revealed: number }; page: PageChannel } {
  const toPage = new Set<(message: unknown) => void>();
  const toHost = new Set<(message: unknown) => void>();
  const onDispose = new Set<() => void>();
  const panel = {
    title: '',
    iconPath: undefined,
    visible: true,
    revealed: 0,
    webview: {
      options: {},
      html: '',
      cspSource: 'vscode-resource:',
      asWebviewUri: (uri: unknown) => uri,
      postMessage: async (message: unknown) => {
        for (const listener of toPage) listener(message);
        return true;
      },
      onDidReceiveMessage: (listener: (message: unknown) => void) => {
        toHost.add(listener);
        return { dispose: () => toHost.delete(listener) };
      },
    },
    onDidChangeViewState: () => ({ dispose: () => undefined }),
    onDidDispose: (listener: () => void) => (onDispose.add(listener), { dispose: () => onDispose.delete(listener) }),
    reveal() {
      panel.revealed++;
    },
    dispose() {
      onDispose.forEach((listener) => listener());
    },
  };
  const transport: Transport = {
    send: (message) => queueMicrotask(() => toHost.forEach((listener) => listener(message))),
    onMessage: (listener) => {
      toPage.add(listener);
      return () => toPage.delete(listener);
    },
  };
  return { panel, page: new RpcChannel(transport) };
}

describe('explorer timeline through the panel (stand-in VS Code, real engine)', () => {
  const temp = makeTempDir('latent-explorer-panel-timeline-');
  const runDir = join(temp.dir, 'latent-runs', 'shapes');
  const checkpoint = (epoch: number): string => join(runDir, 'checkpoints', `epoch-000${epoch}`);
  const [hostSide, engineSide] = transportPair();
  const client: EngineChannel = new RpcChannel(hostSide);
  const server = serveEngine(new RpcChannel(engineSide) as EngineServerChannel);
  const engine = {
    request: (method: never, params: never, options: never) => client.request(method, params, options),
    onLayout: (listener: never) => ({ dispose: client.onNotification('explore/layout', listener) }),
    onOpening: (listener: never) => ({ dispose: client.onNotification('explore/opening', listener) }),
    onDidStop: () => ({ dispose: () => undefined }),
    onTrainEvent: () => ({ dispose: () => undefined }),
  };
  const log = { info: () => undefined, warn: () => undefined, error: () => undefined };
  const context = { extensionUri: vscode.Uri.file(temp.dir), workspaceState: { get: (_k: string, d: unknown) => d, update: async () => undefined } };
  const created: ReturnType<typeof fakePanel>[] = [];
  let panels: InstanceType<typeof ExplorerPanels>;

  before(async () => {
    vscode.root = temp.dir;
    vscode.workspace.isTrusted = true;
    const config = defaultTrainConfig(runDir, { source: 'shapes', limit: 300 }, defaultModel('dense', { latent: 4, hidden: [32] }), { epochs: 3, batchSize: 64 });
    await client.request('train/start', { jobId: 'panel', config }, { timeoutMs: 0 });
    vscode.window.createWebviewPanel = () => {
      const made = fakePanel();
      created.push(made);
      return made.panel;
    };
    panels = new ExplorerPanels(context as never, engine as never, { allRuns: async () => [] } as never, log as never);
  });
  after(() => {
    panels?.dispose();
    server.dispose();
    temp.remove();
  });

  it('opens at an epoch from outside: the page’s timeline sits there, its PCA aligned onto the latest', async () => {
    await panels.open({ run: runDir, epoch: 2 });
    assert.equal(created.length, 1);
    const { panel, page } = created[0];
    assert.match(panel.title, /epoch 2$/);
    const encoded: { done: number; total: number }[] = [];
    const off = page.onNotification('explorer/opening', (note) => encoded.push(note));
    const init = await page.request('explorer/ready', {}, { timeoutMs: 120_000 });
    off();
    assert.equal(init.snapshot.checkpoint.epoch, 2);
    assert.deepEqual(encoded.at(-1), { done: init.snapshot.count, total: init.snapshot.count }, 'the page heard the encoding progress, to the end');
    assert.deepEqual(init.timeline?.checkpoints.map((c) => c.epoch), [1, 2, 3]);
    assert.equal(init.timeline?.current, checkpoint(2));
    const alignment = init.snapshot.pcaAlignment;
    assert.ok(alignment && !('skipped' in alignment), JSON.stringify(alignment));
    assert.equal(alignment.referenceEpoch, 3);
  });

  it('seeks: the panel moves to the epoch (title, and its key: opening that epoch reveals it)', async () => {
    const { panel, page } = created[0];
    const init = await page.request('explorer/seek', { checkpoint: checkpoint(3) }, { timeoutMs: 120_000 });
    assert.equal(init.snapshot.checkpoint.epoch, 3);
    assert.equal(init.timeline?.current, checkpoint(3));
    assert.match(init.title, /epoch 3$/);
    assert.match(panel.title, /epoch 3$/);
    assert.equal(init.snapshot.pcaAlignment && 'referenceEpoch' in init.snapshot.pcaAlignment && init.snapshot.pcaAlignment.referenceEpoch, 3);
    await panels.open(vscode.Uri.file(checkpoint(3)) as never);
    assert.equal(created.length, 1, 'no second panel');
    assert.equal(panel.revealed, 1);
  });

  it('refuses a seek outside the run, and of two quick seeks ends on the second', async () => {
    const { page } = created[0];
    await assert.rejects(page.request('explorer/seek', { checkpoint: join(temp.dir, 'elsewhere', 'checkpoints', 'epoch-0001') }), (e: unknown) => EngineError.is(e, 'bad-input'));
    const [first, second] = await Promise.allSettled([
      page.request('explorer/seek', { checkpoint: checkpoint(2) }, { timeoutMs: 120_000 }),
      page.request('explorer/seek', { checkpoint: checkpoint(1) }, { timeoutMs: 120_000 }),
    ]);
    // The first is dropped (cancelled) or shown before the second: never shown after it.
    if (first.status === 'rejected') assert.ok(EngineError.is(first.reason, 'cancelled'), String(first.reason));
    else assert.equal(first.value.snapshot.checkpoint.epoch, 2);
    assert.equal(second.status, 'fulfilled', second.status === 'rejected' ? String(second.reason) : '');
    const shown = second.value;
    assert.equal(shown.snapshot.checkpoint.epoch, 1);
    assert.match(created[0].panel.title, /epoch 1$/);
    assert.equal(shown.timeline?.current, checkpoint(1));
    // The page's later requests go to epoch 1's session.
    const reconstructions = await page.request('explorer/reconstructions', { count: 2, order: 'worst' }, { timeoutMs: 120_000 });
    // Its samples, in chunks through the panel, are epoch 1's session's.
    const assembler = new SnapshotAssembler(shown.snapshot);
    while (!assembler.complete) assembler.add(await page.request('explorer/chunk', { offset: assembler.received }, { timeoutMs: 120_000 }));
    const worst = assembler.snapshot().errors.reduce((best, e, i, all) => (e > all[best] ? i : best), 0);
    assert.equal(reconstructions.indices[0], worst);
  });
});
