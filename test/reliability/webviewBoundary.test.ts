// The webview boundary: every request type the explorer page can send has a validator and a row of
// the request table, and every host handler is served behind its validator; unknown types, unknown fields (a smuggled `path` above all),
// malformed values and out-of-range indices are refused with bad-input and logged before any
// handler runs; the page's CSP loads nothing remote and runs no script without the nonce.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { explorerValidators, type SessionLimits } from '../../src/shared/validation/explorerValidation';
import { EngineError } from '../../src/shared/errors';
import { explorerHtml } from '../../src/shared/explorerHtml';
import { serveExplorer, type ExplorerHandlers, type HostChannel } from '../../src/shared/explorerHost';
import { EXPLORER_REQUESTS } from '../../src/shared/explorerRequests';
import { RpcChannel, transportPair } from '../../src/shared/rpc';
import type { ExplorerRequests } from '../../src/shared/webviewApi';
import { Fuzzer } from './support/fuzz';

const ROOT = join(__dirname, '..', '..');
const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');
const OPEN: SessionLimits = { latent: 4, datasetCount: 10_000, count: 300 };

/** The `explorer/…` request names declared in the shared API files' request interfaces. */
function declaredRequests(): string[] {
  const names = new Set<string>();
  for (const file of ['src/shared/webviewApi.ts', 'src/shared/mapApi.ts', 'src/shared/lectureApi.ts']) {
    const source = read(file);
    for (const block of source.matchAll(/export interface \w*ExplorerRequests\b[^{]*\{([\s\S]*?)\n\}/g)) {
      for (const name of block[1].matchAll(/^\s*'(explorer\/\w+)'\s*:/gm)) names.add(name[1]);
    }
  }
  return [...names].sort();
}

const refused = (pattern?: RegExp) => (e: unknown) => EngineError.is(e, 'bad-input') && (!pattern || pattern.test(e.message));

describe('webview boundary', () => {
  const valid = explorerValidators(() => OPEN);

  it('has a validator for every request type the API declares, and nothing else', () => {
    const declared = declaredRequests();
    assert.ok(declared.length >= 6, `found only ${declared.join(', ')}`);
    assert.deepEqual(Object.keys(valid).sort(), declared);
  });

  it('has one row of the request table per declared request', () => {
    assert.deepEqual(Object.keys(EXPLORER_REQUESTS).sort(), declaredRequests());
  });

  it('serves every request behind its validator: a smuggled path never reaches a handler', async () => {
    const [page, host] = transportPair();
    const hostChannel: HostChannel = new RpcChannel(host);
    const reached: string[] = [];
    const handlers = Object.fromEntries(Object.keys(EXPLORER_REQUESTS).map((method) => [method, () => reached.push(method)]));
    serveExplorer(hostChannel, handlers as unknown as ExplorerHandlers, () => OPEN);
    const pageChannel = new RpcChannel<ExplorerRequests, Record<string, never>>(page);
    for (const method of Object.keys(EXPLORER_REQUESTS) as (keyof ExplorerRequests)[]) {
      await assert.rejects(pageChannel.request(method, { path: '/etc/passwd' } as never), refused(/unexpected field "path"|expected/), method);
    }
    assert.deepEqual(reached, []);
    await pageChannel.request('explorer/samples', { indices: [1] });
    assert.deepEqual(reached, ['explorer/samples']);
  });

  it('refuses non-objects, smuggled fields (paths, __proto__) and junk values for every request type', () => {
    const f = new Fuzzer(6701);
    const junk = [null, 'explorer', [], new Float32Array(4), NaN, Infinity, -1, 1e300, '../../etc/passwd', { nested: { deep: 1 } }];
    for (const [method, validate] of Object.entries(valid) as [string, (p: unknown) => unknown][]) {
      for (const value of [42, 'x', [], new Float32Array(2), true]) f.refuses(`${method} given ${String(value)}`, () => validate(value));
      for (const smuggled of ['path', 'runDir', 'checkpointDir', 'file', 'uri', 'command']) {
        f.refuses(`${method} with a ${smuggled} field`, () => validate({ [smuggled]: f.pick(['/etc/passwd', '../../../.ssh/id_rsa', 'C:\\Windows\\system32', 'file:///etc/shadow']) }));
      }
      f.refuses(`${method} with an own __proto__ field`, () => validate(JSON.parse('{"__proto__": {"polluted": true}}')));
      // Random objects of random known-looking fields with junk values: never accepted as they are.
      for (let i = 0; i < 40; i++) {
        const value = Object.fromEntries(Array.from({ length: f.int(1, 4) }, () => [f.pick(['count', 'indices', 'codes', 'grid', 'params', 'index', 'k', 'method', 'name', 'data', 'format', 'checkpoint', 'seed', 'order']), f.pick(junk)]));
        let accepted: unknown;
        try {
          accepted = validate(value);
        } catch (error) {
          assert.ok(EngineError.is(error, 'bad-input'), `${method}: ${String(error)}`);
          continue;
        }
        // Accepted only if every value was one the validator could check to be sane.
        assert.fail(`${method} accepted ${JSON.stringify(value)} as ${JSON.stringify(accepted)}`);
      }
    }
    assert.ok(!('polluted' in {}), 'no prototype was polluted');
  });

  it('bounds session sample indices by the session, not the dataset', () => {
    const samples = valid['explorer/samples'];
    assert.deepEqual(samples({ indices: [0, 299] }), { indices: [0, 299] });
    assert.throws(() => samples({ indices: [300] }), refused(/indices\[0\]: expected a whole number from 0 to 299, got 300/));
    assert.throws(() => samples({ indices: [9_999] }), refused());
    assert.throws(() => samples({ indices: [1.5] }), refused());
    assert.throws(() => samples({ indices: Array.from({ length: 10_001 }, () => 0) }), refused(/indices: expected an array of 0 to 10000 sample indices, got 10001/));
    assert.throws(() => explorerValidators(() => ({}))['explorer/samples']({ indices: [0] }), refused(/not open yet/));
  });

  it('asks for chunks of the open session only, from an offset inside it', () => {
    const chunk = valid['explorer/chunk'];
    assert.deepEqual(chunk({ offset: 0 }), { offset: 0 });
    assert.deepEqual(chunk({ offset: 299 }), { offset: 299 });
    assert.throws(() => chunk({ offset: 300 }), refused(/offset: expected a whole number from 0 to 299, got 300/));
    assert.throws(() => chunk({ offset: -1 }), refused());
    assert.throws(() => chunk({ offset: 0, sessionId: 'another' }), refused(/unexpected field "sessionId"/));
    assert.throws(() => explorerValidators(() => ({}))['explorer/chunk']({ offset: 0 }), refused(/not open yet/));
  });

  it('refuses a saved image name that is a path', () => {
    const save = valid['explorer/saveImage'];
    for (const name of ['../../.bashrc', '/etc/passwd', 'a/b', 'a\\b', '', 'x'.repeat(101), 'evil\u0000.png']) {
      assert.throws(() => save({ format: 'png', name, data: 'data:image/png;base64,AA==' }), refused(), name);
    }
  });

  it('refuses and logs an unknown request type and a malformed one, before any handler runs', async () => {
    const [webviewSide, hostSide] = transportPair();
    const logged: string[] = [];
    const host = new RpcChannel<Record<string, never>, { 'explorer/samples': { params: { indices: number[] }; result: number } }>(hostSide, (m) => logged.push(m));
    let ran = 0;
    host.handle('explorer/samples', () => ++ran, valid['explorer/samples']);
    const page = new RpcChannel<Record<string, { params: unknown; result: unknown }>, Record<string, never>>(webviewSide);
    await assert.rejects(page.request('explorer/readFile', { path: '/etc/passwd' }), refused(/Unknown request explorer\/readFile/));
    await assert.rejects(page.request('explorer/samples', { indices: [0], path: '/etc/passwd' }), refused(/unexpected field "path"/));
    await assert.rejects(page.request('explorer/samples', { indices: ['0'] }), refused(/indices\[0\]/));
    assert.equal(await page.request('explorer/samples', { indices: [1] }), 1);
    assert.equal(ran, 1, 'only the valid request reached the handler');
    assert.equal(logged.filter((m) => /^Refused/.test(m)).length, 3, logged.join('\n'));
  });

  it('serves a page whose CSP allows no remote content and no script without the nonce', () => {
    const nonce = randomBytes(18).toString('base64');
    const cspSource = 'https://file+.vscode-resource.vscode-cdn.net';
    const html = explorerHtml({ cspSource, nonce, scriptUri: `${cspSource}/dist/webview.js`, styleUri: `${cspSource}/media/explorer.css`, title: '<script>alert(1)</script>' });
    const content = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)![1].replace(/&#39;/g, "'");
    const directives = new Map(content.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
    assert.deepEqual(directives.get('default-src'), ["'none'"]);
    assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
    for (const [name, values] of directives) {
      for (const value of values) {
        assert.ok(!/unsafe-inline|unsafe-eval|^\*$|^https?:$|^https?:\/\/(?!file\+\.vscode-resource)/.test(value), `${name} allows ${value}`);
      }
    }
    // Every script carries the nonce and has a source; no inline handlers; the title cannot inject one.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, new RegExp(`nonce="${nonce.replace(/[+/=]/g, '\\$&')}"`));
      assert.match(attrs, /src="/);
      assert.equal(body.trim(), '');
    }
    assert.doesNotMatch(html, /\son\w+\s*=/i);
    assert.ok(!html.includes('<script>alert(1)</script>'));
    // A source list that tries to widen the policy is refused outright.
    for (const bad of ["'self'; script-src *", 'https://a.example,https://b.example', "'unsafe-inline'"]) {
      assert.throws(() => explorerHtml({ cspSource: bad, nonce, scriptUri: 'x', styleUri: 'y', title: 't' }), /not a CSP source list/, bad);
    }
  });
});
