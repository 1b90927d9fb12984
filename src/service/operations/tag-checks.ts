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
