// Reads one meta value from a store file without opening it as a store: read-only, no migrations,
// no root key. For commands that inspect a data dir (keyhold audit public-key and verify) and must
// not change it, even while a server runs on it.
import Database from 'better-sqlite3';
import { pin } from './pin.js';

/** The value, or undefined when it is not set; throws if the file is missing or not a store. */
export function readMetaReadOnly(path: string, name: string): string | undefined {
  const db = pin(new Database(path, { readonly: true, fileMustExist: true }));
  try {
    return pin(db.prepare('SELECT value FROM meta WHERE name = ?').pluck()).get(name) as string | undefined;
  } finally {
    db.close();
  }
}
