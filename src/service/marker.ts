// Opaque pagination markers: the sort key of the last item returned, versioned and encoded.
import { fail } from '../core/errors.js';

const PREFIX = 'kh1.';

export const encodeMarker = (sortKey: string): string => PREFIX + Buffer.from(sortKey, 'utf8').toString('base64url');

/** The sort key to continue after; InvalidMarkerException when the marker is not one we issued. */
export function decodeMarker(marker: string | undefined): string | undefined {
  if (marker === undefined) return undefined;
  const body = marker.startsWith(PREFIX) ? marker.slice(PREFIX.length) : '';
  if (!/^[A-Za-z0-9_-]+$/.test(body)) fail('InvalidMarkerException', 'The marker is not valid: pass the NextMarker of a previous response.');
  return Buffer.from(body, 'base64url').toString('utf8');
}

/** The page fields every List* response shares. */
export function pageFields(next: string | undefined): { NextMarker?: string; Truncated: boolean } {
  return next === undefined ? { Truncated: false } : { NextMarker: encodeMarker(next), Truncated: true };
}
