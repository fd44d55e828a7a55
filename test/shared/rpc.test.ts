import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EngineError } from '../../src/shared/errors';
import { RpcChannel, transportPair, type RpcMessage, type Transport } from '../../src/shared/rpc';

interface ServerRequests {
  add: { params: { a: number; b: number }; result: number };
  fail: { params: { code: 'diverged' | 'bad-input' }; result: never };
  wait: { params: { ms: number }; result: 'finished' | 'aborted' };
  bytes: { params: { values: Float32Array }; result: Float32Array };
}
interface ServerNotes {
  progress: { step: number };
}

function pair() {
  const [a, b] = transportPair();
  const logs: string[] = [];
  const waitOutcomes: string[] = [];
  const client = new RpcChannel<ServerRequests, Record<string, never>, Record<string, never>, ServerNotes>(a);
  const server = new RpcChannel<Record<string, never>, ServerRequests, ServerNotes, Record<string, never>>(b, (m) => logs.push(m));
  server.handle('add', ({ a, b }) => a + b);
  server.handle('fail', ({ code }) => {
    throw new EngineError(code, `failed with ${code}`, { where: 'test' });
  });
  server.handle(
    'wait',
    ({ ms }, { signal }) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => (waitOutcomes.push('finished'), resolve('finished')), ms);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          waitOutcomes.push('aborted');
          resolve('aborted');
        });
      }),
  );
  server.handle('bytes', ({ values }) => values.map((v) => v * 2));
  return { client, server, logs, waitOutcomes };
}

describe('RpcChannel', () => {
  it('answers requests with their results', async () => {
    const { client } = pair();
    assert.equal(await client.request('add', { a: 2, b: 3 }), 5);
    const results = await Promise.all([1, 2, 3].map((n) => client.request('add', { a: n, b: n })));
    assert.deepEqual(results, [2, 4, 6]);
  });

  it('carries typed arrays as typed arrays', async () => {
    const { client } = pair();
    const doubled = await client.request('bytes', { values: new Float32Array([1, 2.5]) });
    assert.ok(doubled instanceof Float32Array);
    assert.deepEqual(Array.from(doubled), [2, 5]);
  });

  it('turns a thrown EngineError into the same error on the other side', async () => {
    const { client } = pair();
    await assert.rejects(client.request('fail', { code: 'diverged' }), (error: unknown) => {
      assert.ok(EngineError.is(error, 'diverged'));
      assert.equal(error.message, 'failed with diverged');
      assert.deepEqual(error.details, { where: 'test' });
      return true;
    });
  });

  it('refuses unknown request types and logs them', async () => {
    const { client, logs } = pair();
    const untyped = client as unknown as RpcChannel<{ nope: { params: null; result: null } }, Record<string, never>>;
    await assert.rejects(untyped.request('nope', null), (error: unknown) => EngineError.is(error, 'bad-input'));
    assert.ok(logs.some((l) => l.includes('nope')));
  });

  it('refuses malformed messages without answering them', async () => {
    const [a, b] = transportPair();
    const logs: string[] = [];
    const server = new RpcChannel<Record<string, never>, ServerRequests>(b, (m) => logs.push(m));
    server.handle('add', ({ a, b }) => a + b);
    const seen: unknown[] = [];
    a.onMessage((m) => seen.push(m));
    for (const bad of [null, 42, 'hello', { kind: 'request', id: 'x', method: 'add' }, { kind: 'launch' }]) {
      (a as Transport & { send(m: unknown): void }).send(bad as never);
    }
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(logs.length, 5);
    assert.deepEqual(seen, []);
  });

  it('validates params before the handler runs', async () => {
    const [a, b] = transportPair();
    const client = new RpcChannel<ServerRequests, Record<string, never>>(a);
    const server = new RpcChannel<Record<string, never>, ServerRequests>(b);
    let ran = false;
    server.handle(
      'add',
      ({ a, b }) => ((ran = true), a + b),
      (params) => {
        const p = params as { a: unknown; b: unknown };
        if (typeof p?.a !== 'number' || typeof p?.b !== 'number') throw new EngineError('bad-input', 'a and b must be numbers');
        return { a: p.a, b: p.b };
      },
    );
    await assert.rejects(client.request('add', { a: 'x', b: 1 } as never), /a and b must be numbers/);
    assert.equal(ran, false);
    assert.equal(await client.request('add', { a: 1, b: 1 }), 2);
  });

  it('times out a request nobody answers', async () => {
    const [a] = transportPair();
    const client = new RpcChannel<ServerRequests, Record<string, never>>(a);
    await assert.rejects(client.request('add', { a: 1, b: 1 }, { timeoutMs: 20 }), (e: unknown) => EngineError.is(e, 'timeout'));
  });

  it('cancels a running request on both sides', async () => {
    const { client, waitOutcomes } = pair();
    const controller = new AbortController();
    const pending = client.request('wait', { ms: 5000 }, { signal: controller.signal });
    await new Promise((r) => setTimeout(r, 10));
    controller.abort();
    await assert.rejects(pending, (e: unknown) => EngineError.is(e, 'cancelled'));
    await new Promise((r) => setTimeout(r, 10));
    // the server's handler saw the cancel through its AbortSignal rather than running on for 5 s
    assert.deepEqual(waitOutcomes, ['aborted']);
  });

  it('delivers notifications to their listeners only', async () => {
    const { client, server } = pair();
    const steps: number[] = [];
    const off = client.onNotification('progress', ({ step }) => steps.push(step));
    server.notify('progress', { step: 1 });
    server.notify('progress', { step: 2 });
    await new Promise((r) => setTimeout(r, 5));
    off();
    server.notify('progress', { step: 3 });
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(steps, [1, 2]);
  });

  it('sends no answer once closed, even for a handler that was still running', async () => {
    const [a, b] = transportPair();
    const server = new RpcChannel<Record<string, never>, ServerRequests>(b);
    let finish: (value: number) => void = () => undefined;
    server.handle('add', () => new Promise<number>((resolve) => (finish = resolve)));
    const seen: unknown[] = [];
    a.onMessage((m) => seen.push(m));
    a.send({ kind: 'request', id: 1, method: 'add', params: { a: 1, b: 1 } });
    await new Promise((r) => setTimeout(r, 5));
    server.close();
    finish(2);
    await new Promise((r) => setTimeout(r, 5));
    assert.deepEqual(seen, []);
  });

  it('drops the late answer of a request whose id a newer request reused', async () => {
    const [a, b] = transportPair();
    const server = new RpcChannel<Record<string, never>, ServerRequests>(b);
    let finishOld: (value: number) => void = () => undefined;
    server.handle('add', ({ a: x, b: y }) => (x === 1 ? new Promise<number>((resolve) => (finishOld = resolve)) : x + y));
    const seen: RpcMessage[] = [];
    a.onMessage((m) => seen.push(m as RpcMessage));
    const tick = () => new Promise((r) => setTimeout(r, 5));
    a.send({ kind: 'request', id: 7, method: 'add', params: { a: 1, b: 1 } });
    await tick();
    a.send({ kind: 'request', id: 7, method: 'add', params: { a: 5, b: 5 } });
    await tick();
    finishOld(2);
    await tick();
    assert.deepEqual(
      seen.map((m) => (m.kind === 'response' && m.ok ? [m.inReplyTo, m.result] : m)),
      [[7, 10]],
    );
  });

  it('rejects everything pending when closed, and new requests after', async () => {
    const { client } = pair();
    const pending = client.request('wait', { ms: 5000 });
    client.close(new EngineError('engine-crashed', 'the engine died'));
    await assert.rejects(pending, (e: unknown) => EngineError.is(e, 'engine-crashed'));
    await assert.rejects(client.request('add', { a: 1, b: 2 }), (e: unknown) => EngineError.is(e, 'engine-crashed'));
  });
});
