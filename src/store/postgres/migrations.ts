// PostgreSQL schema history: the same versions and names as sqlite/migrations.ts, in PostgreSQL's
// dialect. Append only: a released migration is never edited.
//
// Kept identical to SQLite where it matters for records to round-trip the same way:
// - dates are epoch milliseconds (BIGINT), flags are 0/1 INTEGERs, blobs are BYTEA, so both stores
//   share one row mapping (sqlite/rows.ts) and a copy between them is a plain copy;
// - ids and names that are compared or sorted are COLLATE "C": bytewise order, like SQLite's
//   BINARY, whatever the database's default collation;
// - SQLite's NOCASE columns (IAM user and role names) are unique and looked up by lower(), which
//   under "C" folds ASCII only, as NOCASE does;
// - key_materials has an explicit insertion sequence where SQLite orders by rowid.
import type { Migration } from '../sqlite/migrations.js';

export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'keys, materials, aliases, tags, accounts, access keys',
    sql: `
      CREATE TABLE meta (name TEXT COLLATE "C" PRIMARY KEY, value TEXT NOT NULL);
      -- PostgreSQL only: bumped by every committed write, read by each node for its change token
      -- (SQLite has PRAGMA data_version instead).
      CREATE TABLE store_generation (id INTEGER PRIMARY KEY CHECK (id = 1), generation BIGINT NOT NULL);
      INSERT INTO store_generation (id, generation) VALUES (1, 0);
      CREATE TABLE accounts (id TEXT COLLATE "C" PRIMARY KEY, name TEXT NOT NULL, created_at BIGINT NOT NULL);
      CREATE TABLE access_keys (
        id TEXT COLLATE "C" PRIMARY KEY, account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id),
        principal_arn TEXT NOT NULL, wrapped_secret BYTEA NOT NULL, status TEXT NOT NULL,
        is_admin INTEGER NOT NULL, created_at BIGINT NOT NULL);
      CREATE TABLE keys (
        id TEXT COLLATE "C" PRIMARY KEY, account_id TEXT COLLATE "C" NOT NULL, region TEXT COLLATE "C" NOT NULL,
        arn TEXT NOT NULL UNIQUE, created_at BIGINT NOT NULL, description TEXT NOT NULL, key_spec TEXT NOT NULL,
        key_usage TEXT NOT NULL, origin TEXT NOT NULL, state TEXT NOT NULL, policy TEXT NOT NULL,
        deletion_date BIGINT, pending_window_days INTEGER, current_material_id TEXT);
      CREATE INDEX keys_by_account ON keys(account_id, region, id);
      CREATE INDEX keys_by_deletion ON keys(deletion_date) WHERE deletion_date IS NOT NULL;
      CREATE TABLE key_materials (
        key_id TEXT COLLATE "C" NOT NULL REFERENCES keys(id) ON DELETE CASCADE, material_id TEXT COLLATE "C" NOT NULL,
        wrapped BYTEA NOT NULL, created_at BIGINT NOT NULL,
        -- Insertion order, for materials created in the same millisecond (SQLite: rowid).
        seq BIGINT GENERATED ALWAYS AS IDENTITY,
        PRIMARY KEY (key_id, material_id));
      CREATE TABLE aliases (
        account_id TEXT COLLATE "C" NOT NULL, region TEXT COLLATE "C" NOT NULL, name TEXT COLLATE "C" NOT NULL,
        target_key_id TEXT COLLATE "C" NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
        created_at BIGINT NOT NULL, updated_at BIGINT NOT NULL,
        PRIMARY KEY (account_id, region, name));
      CREATE INDEX aliases_by_key ON aliases(target_key_id);
      CREATE TABLE tags (
        key_id TEXT COLLATE "C" NOT NULL REFERENCES keys(id) ON DELETE CASCADE, tag_key TEXT COLLATE "C" NOT NULL,
        tag_value TEXT NOT NULL, PRIMARY KEY (key_id, tag_key));
    `,
  },
  {
    version: 2,
    name: 'IAM users, roles, inline policies, STS sessions, grants; account status',
    sql: `
      ALTER TABLE accounts ADD COLUMN status TEXT NOT NULL DEFAULT 'Active';
      ALTER TABLE access_keys ADD COLUMN user_name TEXT COLLATE "C";
      CREATE INDEX access_keys_by_owner ON access_keys(account_id, lower(user_name));
      -- IAM user and role names are unique without regard to case (SQLite: COLLATE NOCASE).
      CREATE TABLE users (
        account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id), name TEXT COLLATE "C" NOT NULL,
        user_id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, arn TEXT NOT NULL, created_at BIGINT NOT NULL);
      CREATE UNIQUE INDEX users_by_name ON users(account_id, lower(name));
      CREATE TABLE roles (
        account_id TEXT COLLATE "C" NOT NULL REFERENCES accounts(id), name TEXT COLLATE "C" NOT NULL,
        role_id TEXT NOT NULL UNIQUE, path TEXT NOT NULL, arn TEXT NOT NULL, trust_policy TEXT NOT NULL,
        description TEXT NOT NULL, max_session_duration INTEGER NOT NULL, created_at BIGINT NOT NULL);
      CREATE UNIQUE INDEX roles_by_name ON roles(account_id, lower(name));
      CREATE TABLE inline_policies (
        account_id TEXT COLLATE "C" NOT NULL, owner_kind TEXT COLLATE "C" NOT NULL, owner_name TEXT COLLATE "C" NOT NULL,
        policy_name TEXT COLLATE "C" NOT NULL, document TEXT NOT NULL);
      CREATE UNIQUE INDEX inline_policies_by_owner ON inline_policies(account_id, owner_kind, lower(owner_name), policy_name);
      CREATE TABLE sessions (
        access_key_id TEXT COLLATE "C" PRIMARY KEY, account_id TEXT NOT NULL, role_arn TEXT NOT NULL,
        session_name TEXT NOT NULL, session_arn TEXT NOT NULL, wrapped_secret BYTEA NOT NULL,
        token_hash TEXT NOT NULL UNIQUE, session_policy TEXT, issued_at BIGINT NOT NULL, expires_at BIGINT NOT NULL);
      CREATE INDEX sessions_by_expiry ON sessions(expires_at);
      CREATE TABLE grants (
        grant_id TEXT COLLATE "C" PRIMARY KEY, key_id TEXT COLLATE "C" NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
        name TEXT COLLATE "C", grantee_principal TEXT NOT NULL, retiring_principal TEXT COLLATE "C", operations TEXT NOT NULL,
        constraints TEXT, issuing_account TEXT NOT NULL, created_at BIGINT NOT NULL);
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
      ALTER TABLE keys ADD COLUMN next_rotation_date BIGINT;
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
        key_id TEXT COLLATE "C" PRIMARY KEY REFERENCES keys(id) ON DELETE CASCADE, operation TEXT NOT NULL,
        used_at BIGINT NOT NULL, request_id TEXT NOT NULL);
    `,
  },
  {
    version: 5,
    name: 'imported key material, service-managed keys',
    sql: `
      -- CUSTOMER, or AWS for the service-managed keys of integrated services.
      ALTER TABLE keys ADD COLUMN key_manager TEXT NOT NULL DEFAULT 'CUSTOMER';
      -- The earliest expiry of the key's imported material (KeyMetadata.ValidTo); NULL when none expires.
      ALTER TABLE keys ADD COLUMN valid_to BIGINT;
      -- Imported material only (NULL for generated material): IMPORTED, or PENDING_IMPORT once
      -- deleted or expired (its wrapped bytes are then emptied).
      ALTER TABLE key_materials ADD COLUMN import_state TEXT;
      ALTER TABLE key_materials ADD COLUMN expires_at BIGINT;
      ALTER TABLE key_materials ADD COLUMN description TEXT;
      -- Imported for a later RotateKeyOnDemand (PENDING_ROTATION): not yet used, not yet bound to the key.
      ALTER TABLE key_materials ADD COLUMN pending_rotation INTEGER NOT NULL DEFAULT 0;
      -- When a pending material became current; created_at otherwise stands for the rotation date.
      ALTER TABLE key_materials ADD COLUMN rotated_at BIGINT;
      CREATE INDEX key_materials_by_expiry ON key_materials(expires_at) WHERE import_state = 'IMPORTED';
      CREATE TABLE services (name TEXT COLLATE "C" PRIMARY KEY, created_at BIGINT NOT NULL);
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
      CREATE TABLE leases (name TEXT COLLATE "C" PRIMARY KEY, holder TEXT NOT NULL, expires_at BIGINT NOT NULL);
    `,
  },
];
