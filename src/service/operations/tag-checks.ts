// Tag rules shared by CreateKey and TagResource (AWS: aws: prefix reserved, 50 tags per key).
import { fail } from '../../core/errors.js';
import type { Tag } from '../../core/keys.js';

export const MAX_TAGS_PER_KEY = 50;

export function checkTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  for (const t of tags) {
    if (t.TagKey.toLowerCase().startsWith('aws:')) fail('TagException', 'Tags beginning with aws: are reserved and cannot be set.');
    if (seen.has(t.TagKey)) fail('TagException', `Duplicate tag key '${t.TagKey}' in the request.`);
    seen.add(t.TagKey);
  }
  if (tags.length > MAX_TAGS_PER_KEY) fail('TagException', `A key can have at most ${MAX_TAGS_PER_KEY} tags.`);
}

/** aws:RequestTag/<key> and aws:TagKeys for a request that sets tags (tag keys lower-cased in the
 *  condition key's name, as condition keys compare without case). */
export function requestTagConditions(tags: readonly Tag[]): Record<string, string | readonly string[]> {
  const out: Record<string, string | readonly string[]> = { 'aws:tagkeys': tags.map((t) => t.TagKey) };
  for (const t of tags) out[`aws:requesttag/${t.TagKey.toLowerCase()}`] = t.TagValue;
  return out;
}
