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
  {
    version: 2,
    name: 'IAM users, roles, inline policies, STS sessions, grants; account status',
    sql: `
      ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'Active';
      ALTER TABLE access_keys ADD COLUMN user_name TEXT COLLATE NOCASE;
      CREATE INDEX access_keys_by_owner ON access_keys(account_id, user_name);
      -- IAM user and role names are unique without regard to case.
      CREATE TABLE users (
        account_id TEXT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL COLLATE NOCASE,
        user_id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, arn TEXT NOT NULL, created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, name));
      CREATE TABLE roles (
        account_id TEXT NOT NULL REFERENCES accounts(id), name TEXT NOT NULL COLLATE NOCASE,
        role_id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, arn TEXT NOT NULL, trust_policy TEXT NOT NULL,
        description TEXT NOT NULL, max_session_duration INTEGER NOT NULL, created_at INTEGER NOT NULL,
        PRIMARY KEY (account_id, name));
      CREATE TABLE inline_policies (
        account_id TEXT NOT NULL, owner_kind TEXT NOT NULL, owner_name TEXT NOT NULL COLLATE NOCASE,
        policy_name TEXT NOT NULL, document TEXT NOT NULL,
        PRIMARY KEY (account_id, owner_kind, owner_name, policy_name));
      CREATE TABLE sessions (
        access_key_id TEXT PRIMARY KEY, account_id TEXT NOT NULL, role_arn TEXT NOT NULL,
        session_name TEXT NOT NULL, session_arn TEXT NOT NULL, wrapped_secret BLOB NOT NULL,
        token_hash TEXT NOT NULL UNIQUE, session_policy TEXT, issued_at INTEGER NOT NULL, expires_at INTEGER NOT NULL);
      CREATE INDEX sessions_by_expiry ON sessions(expires_at);
      CREATE TABLE grants (
        grant_id TEXT PRIMARY KEY, key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE, name TEXT,
        grantee_principal TEXT NOT NULL, retiring_principal TEXT, operations TEXT NOT NULL, constraints TEXT,
        issuing_account TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE UNIQUE INDEX grants_by_key_name ON grants(key_id, name) WHERE name IS NOT NULL;
      CREATE INDEX grants_by_key ON grants(key_id, grant_id);
      CREATE INDEX grants_by_retiring ON grants(retiring_principal, grant_id);
    `,
  },
  {
    version: 3,
    name: 'rotation of symmetric keys',
    sql: `
      -- rotation_period_days NULL means automatic rotation is disabled.
      ALTER TABLE keys ADD COLUMN rotation_period_days INTEGER;
      ALTER TABLE keys ADD COLUMN next_rotation_date INTEGER;
      ALTER TABLE keys ADD COLUMN on_demand_rotations INTEGER NOT NULL DEFAULT 0;
      -- NULL for a key's first material; AUTOMATIC or ON_DEMAND for rotations.
      ALTER TABLE key_materials ADD COLUMN rotation_type TEXT;
      CREATE INDEX keys_by_next_rotation ON keys(next_rotation_date) WHERE next_rotation_date IS NOT NULL;
    `,
  },
  {
    version: 4,
    name: 'last cryptographic use of each key',
    sql: `
      CREATE TABLE key_last_usage (
        key_id TEXT PRIMARY KEY REFERENCES keys(id) ON DELETE CASCADE, operation TEXT NOT NULL,
        used_at INTEGER NOT NULL, request_id TEXT NOT NULL);
    `,
  },
  {
    version: 5,
    name: 'imported key material, service-managed keys',
    sql: `
      -- CUSTOMER, or AWS for the service-managed keys of integrated services.
      ALTER TABLE keys ADD COLUMN key_manager TEXT NOT NULL DEFAULT 'CUSTOMER';
      -- The earliest expiry of the key's imported material (KeyMetadata.ValidTo); NULL when none expires.
      ALTER TABLE keys ADD COLUMN valid_to INTEGER;
      -- Imported material only (NULL for generated material): IMPORTED, or PENDING_IMPORT once
      -- deleted or expired (its wrapped bytes are then emptied).
      ALTER TABLE key_materials ADD COLUMN import_state TEXT;
      ALTER TABLE key_materials ADD COLUMN expires_at INTEGER;
      ALTER TABLE key_materials ADD COLUMN description TEXT;
      -- Imported for a later RotateKeyOnDemand (PENDING_ROTATION): not yet used, not yet bound to the key.
      ALTER TABLE key_materials ADD COLUMN pending_rotation INTEGER NOT NULL DEFAULT 0;
      -- When a pending material became current; created_at otherwise stands for the rotation date.
      ALTER TABLE key_materials ADD COLUMN rotated_at INTEGER;
      CREATE INDEX key_materials_by_expiry ON key_materials(expires_at) WHERE import_state = 'IMPORTED';
      CREATE TABLE services (name TEXT PRIMARY KEY, created_at INTEGER NOT NULL);
    `,
  },
  {
    version: 6,
    name: 'service tokens of integrated services',
    sql: `
      -- SHA-256 (hex) of the token an integrated service presents when a request comes through it.
      -- A row without one ('') matches no token, so no request can be made through that service.
      ALTER TABLE services ADD COLUMN token_hash TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 7,
    name: 'scheduler leases',
    sql: `
      -- One row per cluster-wide job; a node runs the job only while it holds the unexpired lease.
      CREATE TABLE leases (name TEXT PRIMARY KEY, holder TEXT NOT NULL, expires_at INTEGER NOT NULL);
    `,
  },
];
