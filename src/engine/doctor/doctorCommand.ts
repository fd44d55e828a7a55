// `latent-explorer doctor`: the backend doctor's report in a terminal (Markdown, or --json).

import { BACKEND_ORDER, type BackendPreference } from '../../shared/protocol';
import { resolveBackend } from '../backend';
import { oneOf, parseFlags, stringFlag } from '../cli/args';
import type { Output } from '../cli/output';
import { diagnose } from './diagnosis';
import { gatherFindings } from './findings';
import { renderDoctorMarkdown } from './renderDoctor';
import { systemProbes } from './systemProbes';

export const DOCTOR_HELP = `latent-explorer doctor [--native-dir <folder>] [--backend auto|${BACKEND_ORDER.join('|')}] [--json]

Reports the NVIDIA driver, the CUDA and cuDNN libraries the loader can see, the native TensorFlow
packages, the backend that runs and why a faster one does not, and what to do about it.
--native-dir names a folder whose node_modules holds @tensorflow/tfjs-node(-gpu).`;

export async function doctorCommand(argv: string[], output: Output): Promise<number> {
  const { values } = parseFlags(argv, { 'native-dir': { type: 'string' }, backend: { type: 'string' } });
  const dirs = [stringFlag(values, 'native-dir')].filter((d): d is string => d !== undefined);
  const backend = await resolveBackend(oneOf(values, 'backend', ['auto', ...BACKEND_ORDER] as const, 'auto') as BackendPreference, { nativeModuleDirs: dirs });
  const report = diagnose(await gatherFindings(systemProbes(dirs)), backend);
  output.result({ ...report }, renderDoctorMarkdown(report));
  return 0;
}
