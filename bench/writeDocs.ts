// `npm run bench:docs`: rewrites the generated performance tables of README.md and docs/PERFORMANCE.md
// from bench/results/history.jsonl (see bench/docTables.ts).

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { applyBlocks, docBlocks, DOCUMENTS } from './docTables';
import { readHistory } from './resultsLog';

const root = join(__dirname, '..');
const blocks = docBlocks(readHistory(join(__dirname, 'results')));
for (const file of DOCUMENTS) {
  const path = join(root, file);
  const before = readFileSync(path, 'utf8');
  const after = applyBlocks(before, blocks, file);
  if (after !== before) writeFileSync(path, after);
  process.stdout.write(`${file}: ${after === before ? 'unchanged' : 'tables rewritten'}\n`);
}
