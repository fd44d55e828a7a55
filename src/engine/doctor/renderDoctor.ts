// The doctor's report as a Markdown document (shown in VS Code's preview, printed by the CLI).

import type { DoctorReport } from './diagnosis';

// Plain symbols with words, not emoji: remote and headless machines often have no emoji font.
const ICON = { ok: '✓ ok', warn: '⚠ check', fail: '✗ fix', info: 'ℹ info' } as const;
const OUTCOME = { used: 'in use', 'not-installed': 'not installed', failed: 'failed', 'no-device': 'no CUDA device', 'not-tried': 'not tried' } as const;

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
  const actions = report.checks.filter((c) => c.action && c.status !== 'ok');
  if (actions.length > 0 && !report.gpuInUse) {
    lines.push('## What to do', '', ...actions.map((c, i) => `${i + 1}. **${c.title}**: ${c.action}`), '');
  }
  if (report.backend) {
    lines.push('## Backends tried', '', ...report.backend.attempts.map((a) => {
      const outcome = OUTCOME[a.outcome] ?? a.outcome;
      return `- \`${a.backend}\`: ${a.detail.startsWith(outcome) ? a.detail : `${outcome}: ${a.detail}`}`;
    }), '');
  }
  lines.push(
    '## Why these versions',
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
