// The curves bench's rounds: each gesture's row is the round with its lowest frame-work p90, and the
// note lists every round (a round that could not time a gesture is left out, not counted as best).

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestRounds, type CurvesFrameMeasurement } from '../../bench/curvesFrame.bench';

function measured(gesture: CurvesFrameMeasurement['gesture'], frameP90Ms: number): CurvesFrameMeasurement {
  return { gesture, frames: 120, frameMedianMs: frameP90Ms / 2, frameP90Ms, eventToReadBackMedianMs: 16.7, eventToReadBackP90Ms: 18, lateFrames: 0, scriptMedianMs: 5, intervalMedianMs: 16.7, intervalP90Ms: 16.7, pointsDrawn: 1, pointsInView: 2, charts: 6 };
}

describe('bestRounds', () => {
  it('takes each gesture from its own best round and lists every round in order', () => {
    const rounds = [
      [measured('hover', 4), measured('zoom', 19.2), measured('settle', 14)],
      [measured('hover', 3.5), measured('zoom', 20.7), measured('settle', 12)],
      [measured('hover', 5), measured('zoom', 12.6), measured('settle', NaN)],
    ];
    const best = bestRounds(rounds);
    assert.deepEqual(best.map((b) => [b.best.gesture, b.best.frameP90Ms]), [['hover', 3.5], ['zoom', 12.6], ['settle', 12]]);
    assert.equal(best[1].best, rounds[2][1], 'the row carries that round\'s whole measurement (its intervals and note)');
    assert.deepEqual(best.map((b) => b.p90s), [[4, 3.5, 5], [19.2, 20.7, 12.6], [14, 12]]);
  });

  it('refuses a gesture that no round timed', () => {
    assert.throws(() => bestRounds([[measured('zoom', NaN)]]), /no round measured the zoom gesture/);
  });
});
