// The lecture views' engine requests, served on the engine's channel beside the explorer's own
// (src/engine/handlers.ts calls this once). Each works on an open ExploreSession.

import type { EngineServerChannel } from '../engineChannel';
import { aeVsPca } from './aeVsPca';
import { averageImage, sessionAttributeVector } from './attributes';
import { denoiseSample } from './denoise';
import type { ExploreSession } from './exploreSession';
import { interpolationStrip } from './interpolate';
import { priorSamples, vaeSummary } from './vaePrior';

export function serveLecture(channel: EngineServerChannel, session: (id: string) => ExploreSession): void {
  channel.handle('explore/interpolate', ({ sessionId, ...request }) => interpolationStrip(session(sessionId), request));
  channel.handle('explore/attributeVector', ({ sessionId, ...request }) => sessionAttributeVector(session(sessionId), request));
  channel.handle('explore/average', ({ sessionId, set }) => averageImage(session(sessionId), set));
  channel.handle('explore/denoise', ({ sessionId, ...request }) => denoiseSample(session(sessionId), request));
  channel.handle('explore/prior', ({ sessionId, count, seed }) => priorSamples(session(sessionId), count, seed));
  channel.handle('explore/vaeSummary', ({ sessionId, siblings }) => vaeSummary(session(sessionId), siblings));
  channel.handle('explore/aeVsPca', ({ sessionId, ...request }) => aeVsPca(session(sessionId), request));
}
