// SQLite schema history. Append only: a released migration is never edited.

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, materials, aliases, tags, accounts, access keys',
    sql: `
      CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE access_keys (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL REFERENCES accounts(id),
        principal_arn TEXT NOT NULL, wrapped_secret BLOB NOT NULL, status TEXT NOT NULL,
        is_admin INTEGER NOT NULL, created_at INTEGER NOT NULL);
      CREATE TABLE keys (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL, region TEXT NOT NULL, arn TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL, description TEXT NOT NULL, key_spec TEXT NOT NULL,
        key_usage TEXT NOT NULL, origin TEXT NOT NULL, state TEXT NOT NULL, policy TEXT NOT NULL,
        deletion_date INTEGER, pending_window_days INTEGER, current_material_id TEXT);
      CREATE INDEX keys_by_account ON keys(account_id, region, id);
      CREATE INDEX keys_by_deletion ON keys(deletion_date) WHERE deletion_date IS NOT NULL;
      CREATE TABLE key_materials (
        key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE, material_id TEXT NOT NULL,
        wrapped BLOB NOT NULL, created_at INTEGER NOT NULL, PRIMARY KEY (key_id, material_id));
      CREATE TABLE aliases (
        account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
        target_key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, region, name));
      CREATE INDEX aliases_by_key ON aliases(target_key_id);
      CREATE TABLE tags (
        key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE, tag_key TEXT NOT NULL,
        tag_value TEXT NOT NULL, PRIMARY KEY (key_id, tag_key));
    `,
  },
];
