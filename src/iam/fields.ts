// The constraints of IAM's request parameters, as the IAM API reference states them (Length
// Constraints, Pattern, Valid Range); `source` is the pattern exactly as AWS quotes it.
import type { RangeRule, TextRule } from './input.js';

const NAME = { regex: /^[\w+=,.@-]+$/, source: '[\\w+=,.@-]+' };

export const USER_NAME: TextRule = { min: 1, max: 64, pattern: NAME };
export const ROLE_NAME: TextRule = { min: 1, max: 64, pattern: NAME };
export const POLICY_NAME: TextRule = { min: 1, max: 128, pattern: NAME };

/** "/" or "/division/…/", printable ASCII without spaces. */
export const PATH: TextRule = {
  min: 1, max: 512,
  pattern: { regex: /^(?:\/|\/[\u0021-\u007E]+\/)$/, source: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' },
};

export const PATH_PREFIX: TextRule = {
  min: 1, max: 512,
  pattern: { regex: /^\/[\u0021-\u007F]*$/, source: '\\u002F[\\u0021-\\u007F]*' },
};

export const MARKER: TextRule = { min: 1, max: 320, pattern: { regex: /^[\u0020-\u00FF]+$/, source: '[\\u0020-\\u00FF]+' } };

export const MAX_ITEMS: RangeRule = { min: 1, max: 1000 };

export const ACCESS_KEY_ID: TextRule = { min: 16, max: 128, pattern: { regex: /^\w+$/, source: '[\\w]+' } };

export const ACCESS_KEY_STATUSES = ['Active', 'Inactive'] as const;

/** Any policy document (inline, trust): Latin-1 text, tabs and line breaks. */
export const POLICY_DOCUMENT: TextRule = {
  min: 1, max: 131072, echo: false,
  pattern: { regex: /^[\t\n\r\u0020-\u00FF]+$/, source: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' },
};

export const ROLE_DESCRIPTION: TextRule = {
  min: 0, max: 1000,
  pattern: { regex: /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]*$/, source: '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*' },
};

/** CreateRole's MaxSessionDuration, in seconds: one to twelve hours. */
export const MAX_SESSION_DURATION: RangeRule = { min: 3600, max: 43200 };
export const DEFAULT_MAX_SESSION_DURATION = 3600;
