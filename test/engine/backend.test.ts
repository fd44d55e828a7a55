import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';

// Backend choice is global to a process, so each case runs in a fresh Node.
function resolveInChild(preference: string, nativeDirs: string[] = []): { ok: boolean; report?: any; error?: any } {
  const script = `
    const { resolveBackend } = require(${JSON.stringify(join(__dirname, '../../src/engine/backend.ts'))});
    resolveBackend(${JSON.stringify(preference)}, { nativeModuleDirs: ${JSON.stringify(nativeDirs)} })
      .then((report) => console.log(JSON.stringify({ ok: true, report })))
      .catch((error) => console.log(JSON.stringify({ ok: false, error: { code: error.code, message: error.message } })));`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8', timeout: 60_000 });
  const line = child.stdout.trim().split('\n').pop() ?? '';
  assert.ok(line.startsWith('{'), `child printed no result: ${child.stdout}\n${child.stderr}`);
  return JSON.parse(line);
}

describe('backend resolution', () => {
  it('auto falls back past the native packages that are not installed, and says why', () => {
    const { ok, report } = resolveInChild('auto');
    assert.ok(ok);
    // The native packages cannot install on this machine (their install downloads libtensorflow).
    assert.equal(report.backend, 'wasm');
    assert.match(report.device, /WebAssembly/);
    const gpu = report.attempts.find((a: any) => a.backend === 'tensorflow-gpu');
    assert.equal(gpu.outcome, 'not-installed');
    assert.match(gpu.detail, /CUDA 11\.2 and cuDNN 8\.1/);
    assert.equal(report.attempts.find((a: any) => a.backend === 'tensorflow').outcome, 'not-installed');
    assert.equal(report.attempts.find((a: any) => a.backend === 'cpu').outcome, 'not-tried');
    assert.match(report.summary, /Running on wasm.*Not faster because tensorflow-gpu: .*not installed/);
  });

  it('uses the backend a user names', () => {
    const { ok, report } = resolveInChild('cpu');
    assert.ok(ok);
    assert.equal(report.backend, 'cpu');
    // faster backends were not tried because cpu was named, and the report says so, not that they run
    assert.equal(report.attempts.find((a: any) => a.backend === 'wasm').detail, 'not tried: cpu was asked for');
    assert.match(report.summary, /as asked for; faster backends were not tried/);
  });

  it('fails clearly when the named backend cannot run, instead of falling back', () => {
    const { ok, error } = resolveInChild('tensorflow');
    assert.equal(ok, false);
    assert.equal(error.code, 'backend-unavailable');
    assert.match(error.message, /@tensorflow\/tfjs-node is not installed/);
  });

  it('reports a native package that is present but fails to load, with its error', () => {
    const dir = mkdtempSync(join(tmpdir(), 'le-native-'));
    try {
      const pkg = join(dir, 'node_modules', '@tensorflow', 'tfjs-node');
      mkdirSync(pkg, { recursive: true });
      writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@tensorflow/tfjs-node', version: '4.22.0', main: 'index.js' }));
      writeFileSync(join(pkg, 'index.js'), "throw new Error('libtensorflow.so.2: cannot open shared object file');");
      writeFileSync(join(dir, 'package.json'), '{}');
      const { ok, report } = resolveInChild('auto', [dir]);
      assert.ok(ok);
      assert.equal(report.backend, 'wasm');
      const native = report.attempts.find((a: any) => a.backend === 'tensorflow');
      assert.equal(native.outcome, 'failed');
      assert.match(native.detail, /libtensorflow\.so\.2: cannot open shared object file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
