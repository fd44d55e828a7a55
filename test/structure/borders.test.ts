// The borders between src/engine, src/extension, src/shared and src/webview are lint rules
// (eslint.config.mjs), which `npm test` runs over the whole tree. These check that the rules bite: an
// import across a border, placed in each part, is refused, and the imports each part needs are not.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ESLint } from 'eslint';

const ROOT = join(__dirname, '..', '..');

// Only the import rules: the type-aware ones need files the TypeScript project knows.
const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    languageOptions: { parserOptions: { projectService: false } },
    rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-unused-vars': 'off' },
  },
});

async function refusedImports(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  assert.deepEqual(result.messages.filter((m) => m.ruleId !== 'no-restricted-imports'), [], `${file}: only import rules report`);
  return result.messages.map((m) => m.message.split(' import is restricted')[0]);
}

describe('borders between the parts of src/', () => {
  it('keeps vscode out of the engine, shared code and the page', async () => {
    for (const file of ['src/engine/probe.ts', 'src/shared/probe.ts', 'src/webview/probe.ts']) {
      assert.deepEqual(await refusedImports(file, "import * as vscode from 'vscode';\nimport type { Uri } from 'vscode';"), ["'vscode'", "'vscode'"], file);
    }
    assert.deepEqual(await refusedImports('src/extension/probe.ts', "import * as vscode from 'vscode';"), []);
  });

  it('keeps TensorFlow.js in the engine', async () => {
    for (const file of ['src/extension/probe.ts', 'src/shared/probe.ts', 'src/webview/probe.ts']) {
      assert.deepEqual(await refusedImports(file, "import * as tf from '@tensorflow/tfjs-core';"), ["'@tensorflow/tfjs-core'"], file);
    }
    assert.deepEqual(await refusedImports('src/engine/probe.ts', "import * as tf from '@tensorflow/tfjs-core';"), []);
  });

  it('keeps the page away from the engine, and the extension to its host-side parts', async () => {
    assert.deepEqual(await refusedImports('src/webview/views/probe.ts', "import { trust } from '../../engine/explore/mapRequests';"), ["'../../engine/explore/mapRequests'"]);
    assert.deepEqual(await refusedImports('src/webview/probe.ts', "import { EngineProcess } from '../engine/engineProcess';"), ["'../engine/engineProcess'"]);
    assert.deepEqual(await refusedImports('src/extension/probe.ts', "import { resolveBackend } from '../engine/backend';"), ["'../engine/backend'"]);
    assert.deepEqual(
      await refusedImports('src/extension/probe.ts', "import { EngineProcess } from '../engine/engineProcess';\nimport { diagnose } from '../engine/doctor/diagnosis';"),
      [],
    );
  });
});
