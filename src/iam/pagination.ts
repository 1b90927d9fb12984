// IAM's list pagination: MaxItems (1–1000, default 100), and a Marker to continue from when
// IsTruncated. The marker is the sort key of the last item returned; lists continue after it.
import type { Page } from '../store/store.js';
import type { XmlObject, XmlValue } from '../server/query/xml.js';
import { MARKER, MAX_ITEMS } from './fields.js';
import { optional, optionalInteger } from './input.js';

/** "If you do not include this parameter, the number of items defaults to 100" (IAM API reference). */
export const DEFAULT_MAX_ITEMS = 100;

/** The parameters every list action takes, for readInput. */
export const pagingFields = { Marker: optional(MARKER), MaxItems: optionalInteger(MAX_ITEMS) };

export interface Listed<T> {
  readonly items: readonly T[];
  /** Where the next page starts, when more items follow. */
  readonly marker: string | undefined;
}

/** Lists from the store page by page, keeping only items that pass `keep` (e.g. a PathPrefix),
 *  until `max` are kept and one more is known to follow, or the store has no more. */
export async function listFromStore<T>(
  fetch: (after: string | undefined, limit: number) => Promise<Page<T>>,
  keyOf: (item: T) => string,
  keep: (item: T) => boolean,
  after: string | undefined,
  max: number,
): Promise<Listed<T>> {
  const kept: T[] = [];
  let cursor = after;
  for (;;) {
    const page = await fetch(cursor, max + 1);
    for (const item of page.items) {
      if (!keep(item)) continue;
      if (kept.length === max) return { items: kept, marker: keyOf(kept[max - 1] as T) };
      kept.push(item);
    }
    if (page.next === undefined) return { items: kept, marker: undefined };
    cursor = page.next;
  }
}

/** One page of a list already in memory (a user's access keys, an entity's policy names). */
export function listInMemory<T>(all: readonly T[], keyOf: (item: T) => string, after: string | undefined, max: number): Listed<T> {
  const sorted = [...all].sort((a, b) => compare(keyOf(a), keyOf(b)));
  const rest = after === undefined ? sorted : sorted.filter((item) => keyOf(item) > after);
  const items = rest.slice(0, max);
  return { items, marker: rest.length > max ? keyOf(items[max - 1] as T) : undefined };
}

/** The list's elements: `{ [element]: items, IsTruncated, Marker }`. */
export function listXml<T>(element: string, listed: Listed<T>, render: (item: T) => XmlValue): XmlObject {
  return { [element]: listed.items.map(render), IsTruncated: listed.marker !== undefined, Marker: listed.marker };
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
