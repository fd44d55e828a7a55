// A reloaded page gets a fresh channel on its second `ready`: the old page's work is aborted, its late
// answers never reach the new page (whose request ids start at 1 again), and the host hears of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PageChannels } from '../../src/shared/pageChannels';
import { RpcChannel, transportPair, type RpcMessage } from '../../src/shared/rpc';

interface PageRequests {
  ready: { params: null; result: string };
  add: { params: { a: number; b: number }; result: number };
}
type HostChannel = RpcChannel<Record<string, never>, PageRequests, { status: string }>;

const tick = () => new Promise((r) => setTimeout(r, 5));

function host() {
  const [page, hostEnd] = transportPair();
  const made: HostChannel[] = [];
  let finishSlow: (value: number) => void = () => undefined;
  const aborted: number[] = [];
  const restarts: HostChannel[] = [];
  const pages = new PageChannels(
    hostEnd,
    'ready',
    (transport) => {
      const channel: HostChannel = new RpcChannel(transport);
      const number = made.push(channel);
      channel.handle('ready', () => `page ${number}`);
      channel.handle('add', ({ a, b }, { signal }) => {
        if (a !== 1) return a + b;
        signal.addEventListener('abort', () => aborted.push(number));
        return new Promise<number>((resolve) => (finishSlow = resolve));
      });
      return channel;
    },
    (channel) => restarts.push(channel),
  );
  const seen: RpcMessage[] = [];
  page.onMessage((m) => seen.push(m as RpcMessage));
  const answers = () => seen.filter((m) => m.kind === 'response').map((m) => (m.kind === 'response' && m.ok ? [m.inReplyTo, m.result] : m));
  return { page, pages, made, aborted, restarts, seen, answers, finishSlow: (v: number) => finishSlow(v) };
}

describe('PageChannels', () => {
  it('keeps one channel while the page says ready once', async () => {
    const h = host();
    h.page.send({ kind: 'request', id: 1, method: 'ready', params: null });
    h.page.send({ kind: 'request', id: 2, method: 'add', params: { a: 2, b: 3 } });
    await tick();
    assert.deepEqual(h.answers(), [
      [1, 'page 1'],
      [2, 5],
    ]);
    assert.equal(h.made.length, 1);
    assert.equal(h.restarts.length, 0);
  });

  it('starts a fresh channel on a second ready, so the old page never answers the new one', async () => {
    const h = host();
    h.page.send({ kind: 'request', id: 1, method: 'ready', params: null });
    h.page.send({ kind: 'request', id: 2, method: 'add', params: { a: 1, b: 1 } }); // the old page, slow
    await tick();
    h.page.send({ kind: 'request', id: 1, method: 'ready', params: null }); // Reload Webviews: ids start over
    await tick();
    h.finishSlow(2); // the old page's answer comes late
    h.page.send({ kind: 'request', id: 2, method: 'add', params: { a: 5, b: 5 } });
    await tick();
    assert.deepEqual(h.answers(), [
      [1, 'page 1'],
      [1, 'page 2'],
      [2, 10],
    ]);
    assert.deepEqual(h.aborted, [1], 'the old page’s work is aborted');
    assert.equal(h.made.length, 2);
    assert.equal(h.made[0].isClosed, true);
    assert.equal(h.pages.channel, h.made[1]);
    assert.deepEqual(h.restarts, [h.made[1]]);
  });

  it('drops what a replaced channel still sends', async () => {
    const h = host();
    h.page.send({ kind: 'request', id: 1, method: 'ready', params: null });
    await tick();
    const old = h.pages.channel;
    h.pages.restart();
    old.notify('status', 'from the old page’s channel');
    h.pages.channel.notify('status', 'from the new one');
    await tick();
    assert.deepEqual(
      h.seen.filter((m) => m.kind === 'notification').map((m) => (m.kind === 'notification' ? m.params : undefined)),
      ['from the new one'],
    );
  });

  it('stops listening when closed', async () => {
    const h = host();
    h.pages.close();
    h.page.send({ kind: 'request', id: 1, method: 'ready', params: null });
    await tick();
    assert.deepEqual(h.answers(), []);
    assert.equal(h.made[0].isClosed, true);
  });
});
