// The doctor's report as a Markdown document (shown in VS Code's preview, printed by the CLI).

import { adapterInUse, adapterName, formatBytes } from '../../shared/gpuAdapterText';
import type { BackendAttempt } from '../../shared/protocol';
import type { DoctorReport } from './diagnosis';

// Plain symbols with words, not emoji: remote and headless machines often have no emoji font.
const ICON = { ok: '✓ ok', warn: '⚠ check', fail: '✗ fix', info: 'ℹ info' } as const;
const OUTCOME = { used: 'in use', 'not-installed': 'not installed', failed: 'failed', 'no-device': 'no device', 'not-tried': 'not tried' } as const;
const NO_DEVICE: Partial<Record<BackendAttempt['backend'], string>> = { 'tensorflow-gpu': 'no CUDA device', webgpu: 'no GPU adapter' };

export function renderDoctorMarkdown(report: DoctorReport, when: Date = new Date()): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  const lines = [
    '# Latent Explorer: Backend Doctor',
    '',
    `**${report.verdict}**`,
    '',
    '| status | check | found |',
    '|---|---|---|',
    ...report.checks.map((c) => `| ${ICON[c.status]} | ${cell(c.title)} | ${cell(c.found)} |`),
    '',
  ];
  const adapters = report.webgpu.adapters;
  if (adapters.length > 0) {
    const inUse = report.backend && adapterInUse(report.backend);
    lines.push(
      '## WebGPU adapters',
      '',
      '| adapter | kind | vendor | architecture | API | max buffer | max storage binding | asked as | in use |',
      '|---|---|---|---|---|---|---|---|---|',
      ...adapters.map((a) =>
        `| ${cell(adapterName(a))} | ${a.kind} | ${cell(a.vendor || '—')} | ${cell(a.architecture || '—')} | ${cell(a.backendType ?? '—')} | ${formatBytes(a.maxBufferSize)} | ${formatBytes(a.maxStorageBufferBindingSize)} | ${cell(a.powerPreferences.join(', ') || '—')} | ${a === inUse ? 'yes' : 'no'} |`,
      ),
      '',
    );
  }
  const actions = report.checks.filter((c) => c.action && c.status !== 'ok');
  if (actions.length > 0 && !report.gpuInUse) {
    lines.push('## What to do', '', ...actions.map((c, i) => `${i + 1}. **${c.title}**: ${c.action}`), '');
  }
  if (report.backend) {
    lines.push('## Backends tried', '', ...report.backend.attempts.map((a) => {
      const outcome = (a.outcome === 'no-device' ? NO_DEVICE[a.backend] : undefined) ?? OUTCOME[a.outcome] ?? a.outcome;
      return `- \`${a.backend}\`: ${a.detail.startsWith(outcome) ? a.detail : `${outcome}: ${a.detail}`}`;
    }), '');
  }
  lines.push(
    '## Which GPU path',
    '',
    '`webgpu` runs on any GPU through Dawn (Vulkan on Linux, Metal on macOS, Direct3D 12 on Windows) and needs only the',
    'GPU\'s driver. A software adapter (llvmpipe, SwiftShader, WARP) is the CPU drawing for a missing GPU: `auto` never',
    'picks it, since wasm is faster; naming `webgpu` runs on it anyway, with a warning.',
    '',
    '## Why these CUDA versions',
    '',
    '`@tensorflow/tfjs-node-gpu` 4.x loads libtensorflow 2.9, which was built against **CUDA 11.2 and cuDNN 8.1**. With other',
    'versions TensorFlow registers no GPU and runs on the CPU without an error; Latent Explorer detects that and reports',
    '`tensorflow` (CPU), never a GPU it does not use. Several CUDA versions can be installed side by side: put the 11.2',
    'libraries first on `LD_LIBRARY_PATH` (Linux) or `PATH` (Windows) of the process VS Code (or its remote server) runs in.',
    '',
    `_Checked ${when.toISOString()}._`,
    '',
  );
  return lines.join('\n');
}
