// Page errors that concern the map: every error, except the "unknown request" refusals of requests
// the map's stand-in hosts do not serve (the lecture views' own; their tests serve and check them).

import type { ExplorerPage } from './harness';

export const MAP_REQUESTS = [
  'ready', 'project', 'reconstructions', 'decodeGrid', 'decode', 'samples',
  'neighbours', 'decodeAt', 'reconstructSamples', 'trust', 'checkpoints', 'compare', 'saveImage', 'exportCodes', 'follow',
];

export function mapErrors(explorer: ExplorerPage): string[] {
  return explorer.errors.filter((e) => {
    const unknown = /unknown request (?:type )?"?explorer\/(\w+)/i.exec(e);
    return !unknown || MAP_REQUESTS.includes(unknown[1]);
  });
}
