import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EngineProcess } from '../../src/engine/engineProcess';
import { dawnPlatformDir } from '../../src/shared/dawnPlatform';
import { findNativeBackend, installNativeBackend, nativeModuleDirs } from '../../src/extension/backendInstall';
import { EngineError } from '../../src/shared/errors';
import { REPO } from '../support/cli';
import { ensureLavapipe } from '../support/lavapipe';
import { makeTempDir } from '../support/tempDir';
import { FAKE_VERSION, packFakeNativeBackend, packFakeWebgpu } from './fakeNativeBackend';

const WORKER = join(REPO, 'src', 'engine', 'worker.ts');

describe('installing a native backend on demand', () => {
  const temp = makeTempDir();
  after(() => temp.remove());
  const storage = join(temp.dir, 'globalStorage');
  const gpuTarball = packFakeNativeBackend(temp.dir, '@tensorflow/tfjs-node-gpu');

  it('installs the package with npm into the storage folder, streaming npm\'s output', async () => {
    const lines: string[] = [];
    const installed = await installNativeBackend({ dir: storage, packageName: '@tensorflow/tfjs-node-gpu', spec: gpuTarball, onLine: (l) => lines.push(l) });
    assert.equal(installed.version, FAKE_VERSION);
    assert.equal(installed.dir, storage);
    assert.ok(installed.entry.startsWith(join(storage, 'node_modules', '@tensorflow', 'tfjs-node-gpu')));
    assert.ok(lines[0].startsWith('$ npm install'), 'the command is logged first');
    assert.ok(lines.length > 1, 'npm output is streamed');
    assert.deepEqual(findNativeBackend('@tensorflow/tfjs-node-gpu', [join(temp.dir, 'elsewhere'), storage])?.dir, storage);
    assert.equal(findNativeBackend('@tensorflow/tfjs-node', [storage]), undefined);
  });

  async function resolveIn(dirs: string[], gpu: boolean) {
    const engine = new EngineProcess({
      workerPath: WORKER,
      execArgv: ['--import', 'tsx'],
      nativeModuleDirs: dirs,
      env: { FAKE_TFJS_CORE: require.resolve('@tensorflow/tfjs-core'), FAKE_TFJS_GPU: gpu ? '1' : '0' },
    });
    try {
      return await engine.channel.request('backend/resolve', { preference: 'auto' }, { timeoutMs: 120_000 });
    } finally {
      engine.dispose();
    }
  }

  it('the engine loads it from there next run, and reports the CPU, not a GPU, when no CUDA device registers', async () => {
    const report = await resolveIn([storage], false);
    assert.equal(report.backend, 'tensorflow', 'not tensorflow-gpu: it runs on the CPU');
    assert.equal(report.device, 'CPU (TensorFlow native)');
    const gpuAttempt = report.attempts.find((a) => a.backend === 'tensorflow-gpu');
    assert.equal(gpuAttempt?.outcome, 'no-device');
    assert.match(gpuAttempt?.detail ?? '', /CUDA 11\.2 and cuDNN 8\.1/);
    assert.doesNotMatch(report.summary, /^Running on tensorflow-gpu/);
  });

  it('claims the GPU only when the package says a CUDA device is in use', async () => {
    const report = await resolveIn([storage], true);
    assert.equal(report.backend, 'tensorflow-gpu');
    assert.match(report.device, /^GPU/);
  });

  it('without the folder the engine does not find it', async () => {
    const report = await resolveIn([join(temp.dir, 'empty')], true);
    assert.notEqual(report.backend, 'tensorflow-gpu');
    assert.equal(report.attempts.find((a) => a.backend === 'tensorflow-gpu')?.outcome, 'not-installed');
  });

  it('the setting may name the folder, its node_modules or the package itself', () => {
    const expected = [join(temp.dir, 'existing'), storage];
    for (const path of [join(temp.dir, 'existing'), join(temp.dir, 'existing', 'node_modules'), join(temp.dir, 'existing', 'node_modules', '@tensorflow', 'tfjs-node-gpu') + '/']) {
      assert.deepEqual(nativeModuleDirs(path, storage), expected, path);
    }
    assert.deepEqual(nativeModuleDirs(join(temp.dir, 'existing', 'node_modules', 'webgpu'), storage), expected, 'the webgpu package folder');
    assert.deepEqual(nativeModuleDirs('  ', storage), [storage]);
  });

  it('installs webgpu (Dawn) the same way: found by this platform\'s dawn.node, which the engine loads', async () => {
    const webgpuStorage = join(temp.dir, 'webgpuStorage');
    const tarball = packFakeWebgpu(temp.dir, [dawnPlatformDir(process.platform, process.arch), 'some-other-platform'], 'ours');
    const installed = await installNativeBackend({ dir: webgpuStorage, packageName: 'webgpu', spec: tarball });
    assert.equal(installed.version, FAKE_VERSION);
    assert.equal(installed.entry, join(webgpuStorage, 'node_modules', 'webgpu', 'dist', dawnPlatformDir(process.platform, process.arch), 'dawn.node'));
    assert.equal(findNativeBackend('webgpu', [storage, webgpuStorage])?.dir, webgpuStorage, 'the tfjs-node storage holds no webgpu');
  });

  it('a webgpu package without a Dawn build for this platform is refused, naming the platform', async () => {
    const tarball = packFakeWebgpu(temp.dir, ['some-other-platform'], 'theirs');
    const dir = join(temp.dir, 'webgpuElsewhere');
    await assert.rejects(
      installNativeBackend({ dir, packageName: 'webgpu', spec: tarball }),
      (e: unknown) => EngineError.is(e, 'unsupported') && e.message.includes(dawnPlatformDir(process.platform, process.arch)),
    );
    assert.equal(findNativeBackend('webgpu', [dir]), undefined);
  });

  it('the universal package\'s bundled engine runs webgpu on Dawn from the storage folder, and only from there', async () => {
    ensureLavapipe();
    // The bundle as the universal .vsix installs it: no dist/dawn beside it, no node_modules above it.
    const dist = join(temp.dir, 'universal', 'dist');
    mkdirSync(dist, { recursive: true });
    for (const file of readdirSync(join(REPO, 'dist')).filter((f) => f === 'engine.js' || /^tfjs-backend-wasm.*\.(wasm|js)$/.test(f))) {
      copyFileSync(join(REPO, 'dist', file), join(dist, file));
    }
    assert.ok(existsSync(join(dist, 'engine.js')), 'dist/engine.js is missing: run `npm run build` first');
    // What "Install Native Backend… → webgpu" leaves in the storage: the real package, here by a link.
    const webgpuStorage = join(temp.dir, 'realWebgpuStorage');
    mkdirSync(join(webgpuStorage, 'node_modules'), { recursive: true });
    symlinkSync(dirname(require.resolve('webgpu/package.json')), join(webgpuStorage, 'node_modules', 'webgpu'), 'dir');
    const resolveWebgpu = async (dirs: string[]) => {
      const engine = new EngineProcess({ workerPath: join(dist, 'engine.js'), nativeModuleDirs: dirs });
      try {
        return await engine.channel.request('backend/resolve', { preference: 'webgpu' }, { timeoutMs: 180_000 });
      } finally {
        engine.dispose();
      }
    };
    const report = await resolveWebgpu([webgpuStorage]);
    assert.equal(report.backend, 'webgpu', report.summary);
    assert.ok((report.gpuAdapters ?? []).length > 0, 'Dawn lists its adapters');
    await assert.rejects(resolveWebgpu([join(temp.dir, 'empty')]), (e: unknown) => EngineError.is(e, 'backend-unavailable') && /dawn\.node is not installed/.test(e.message));
  });

  it('cancelling stops npm and rejects as cancelled', async () => {
    const slowNpm = join(temp.dir, 'bin', 'slow-npm');
    mkdirSync(join(temp.dir, 'bin'), { recursive: true });
    writeFileSync(slowNpm, '#!/bin/sh\necho "fetching libtensorflow"\nexec sleep 60\n');
    chmodSync(slowNpm, 0o755);
    const controller = new AbortController();
    const lines: string[] = [];
    const pending = installNativeBackend({
      dir: join(temp.dir, 'cancelled'),
      packageName: '@tensorflow/tfjs-node',
      npm: slowNpm,
      signal: controller.signal,
      onLine: (line) => {
        lines.push(line);
        if (line.includes('libtensorflow')) controller.abort();
      },
    });
    await assert.rejects(pending, (e: unknown) => EngineError.is(e, 'cancelled'));
    assert.ok(!existsSync(join(temp.dir, 'cancelled', 'node_modules')));
  });

  it('a failing npm reports its last lines; a missing npm says what to do', async () => {
    const failing = join(temp.dir, 'bin', 'failing-npm');
    writeFileSync(failing, '#!/bin/sh\necho "npm ERR! 404 Not Found" >&2\nexit 1\n');
    chmodSync(failing, 0o755);
    await assert.rejects(installNativeBackend({ dir: join(temp.dir, 'failed'), packageName: '@tensorflow/tfjs-node', npm: failing }), (e: unknown) => EngineError.is(e, 'io') && /exit code 1/.test(e.message) && /404 Not Found/.test(e.message));
    await assert.rejects(installNativeBackend({ dir: join(temp.dir, 'failed'), packageName: '@tensorflow/tfjs-node', npm: join(temp.dir, 'bin', 'no-such-npm') }), (e: unknown) => EngineError.is(e, 'not-found') && /nativeBackendPath/.test(e.message));
  });
});
