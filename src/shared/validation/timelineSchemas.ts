// The timeline's request (webview -> host) as schemas, merged into the explorer's
// (explorerValidation.ts); timelineApi.ts infers its request types from them. The page names a
// checkpoint only by a folder the host listed for it; the host checks that before it moves.

import * as v from 'valibot';
import { fields } from './checks';

const MAX_PATH_LENGTH = 4096;
/** The host lists absolute folders (POSIX, or Windows with a drive or a share): nothing relative gets through. */
const ABSOLUTE = /^(?:\/|[A-Za-z]:[\\/]|\\\\)/;
const UP_OR_CONTROL = /(?:^|[\\/])\.\.(?:[\\/]|$)|[\u0000-\u001f]/;

export function timelineSchemas() {
  return {
    /** Show another checkpoint of this run (one the timeline listed). */
    'explorer/seek': fields({
      checkpoint: v.pipe(
        v.string('expected a checkpoint folder from the timeline'),
        v.check((s) => s.length > 0 && s.length <= MAX_PATH_LENGTH && ABSOLUTE.test(s) && !UP_OR_CONTROL.test(s), 'expected a checkpoint folder from the timeline'),
      ),
    }),
  };
}

/** The timeline's requests' params, as the schemas let them through. */
export type TimelineParams = { [M in keyof ReturnType<typeof timelineSchemas>]: v.InferOutput<ReturnType<typeof timelineSchemas>[M]> };
