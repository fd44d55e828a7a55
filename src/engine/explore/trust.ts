// The trust overlay: how faithfully a 2-D map of the session keeps each sample's neighbourhood in
// code space. Trustworthiness T(k) for the whole map and, per sample, the share of its k nearest
// code-space neighbours that stay among its k nearest on the map (the explorer colours by it). The
// measure itself lives in src/engine/metrics/trustworthiness.ts; this only checks what the explorer
// asks and picks k within what the sample size allows.

import { badInput } from '../../shared/errors';
import type { TrustReport } from '../../shared/mapApi';
import type { ProjectionMethod } from '../../shared/protocol';
import { MAX_TRUST_K } from '../../shared/explorerLimits';
import { neighbourhoodReport } from '../metrics/trustworthiness';

export const DEFAULT_TRUST_K = 10;

export function mapTrust(method: ProjectionMethod, codes: Float32Array, layout: Float32Array, count: number, latent: number, k = DEFAULT_TRUST_K): TrustReport {
  if (!Number.isInteger(k) || k < 1 || k > MAX_TRUST_K) throw badInput(`Trust: k must be from 1 to ${MAX_TRUST_K}, got ${k}`);
  if (count < 5) throw badInput(`Trust needs at least 5 samples, the session has ${count}`);
  // The measure needs k < n/2: small sessions get the largest k that fits.
  const usable = Math.min(k, Math.floor((count - 1) / 2));
  const report = neighbourhoodReport(codes, layout, count, latent, usable);
  return { method, k: usable, trustworthiness: report.trustworthiness, preservation: report.preservation, evaluated: report.evaluated };
}
