// Checking a downloaded file against published digests. A digest can be of the file as served or
// of its decompressed contents: mirrors re-compress the same data (the gzip header records a time),
// so the contents are what identifies a dataset, and either kind of match is proof enough.

import { createHash } from 'node:crypto';
import { badInput } from '../../shared/errors';
import { gunzipLimited, isGzip } from './fileBytes';

export interface ExpectedDigest {
  algorithm: 'sha256' | 'md5';
  /** `file`: the bytes as downloaded; `content`: after gunzip. */
  of: 'file' | 'content';
  /** Lowercase hex. */
  hex: string;
}

/** Throws a bad-input error naming `name` unless one of `expected` matches. An empty list matches nothing. */
export function verifyDigests(bytes: Uint8Array, expected: readonly ExpectedDigest[], name: string, maxContentBytes?: number): void {
  if (fileMatches(bytes, expected)) return;
  const contentDigests = expected.filter((digest) => digest.of === 'content');
  if (contentDigests.length > 0 && isGzip(bytes)) {
    const content = gunzipOrUndefined(bytes, name, maxContentBytes);
    if (content && contentDigests.some((digest) => digestOf(content, digest.algorithm) === digest.hex.toLowerCase())) return;
  }
  const wanted = expected.map((digest) => `${digest.algorithm} ${digest.hex} (${digest.of})`).join(' or ');
  throw badInput(`${name} does not match its published checksum: expected ${wanted}, got sha256 ${digestOf(bytes, 'sha256')}`);
}

function fileMatches(bytes: Uint8Array, expected: readonly ExpectedDigest[]): boolean {
  const computed = new Map<string, string>();
  return expected.some((digest) => {
    if (digest.of !== 'file') return false;
    if (!computed.has(digest.algorithm)) computed.set(digest.algorithm, digestOf(bytes, digest.algorithm));
    return computed.get(digest.algorithm) === digest.hex.toLowerCase();
  });
}

/** A file that does not even decompress simply matches no content digest. */
function gunzipOrUndefined(bytes: Uint8Array, name: string, maxBytes?: number): Uint8Array | undefined {
  try {
    return gunzipLimited(bytes, name, maxBytes);
  } catch {
    return undefined;
  }
}

export function digestOf(bytes: Uint8Array, algorithm: ExpectedDigest['algorithm']): string {
  return createHash(algorithm).update(bytes).digest('hex');
}
