// Runs the storage conformance suite on the SQLite store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { identityConformance } from '../conformance-identities.js';
import { leasesConformance } from '../conformance-leases.js';
import { servicesConformance } from '../conformance-services.js';
import { storeConformance, type StoreFactory } from '../conformance.js';
import { SqliteStore } from './sqlite-store.js';

let path = '';
const factory: StoreFactory = {
  async create() {
    path = join(mkdtempSync(join(tmpdir(), 'keyhold-store-')), 'keyhold.db');
    return SqliteStore.open(path);
  },
  async connectAgain() {
    return SqliteStore.open(path);
  },
};
storeConformance('sqlite', factory);
identityConformance('sqlite', factory);
servicesConformance('sqlite', factory);
leasesConformance('sqlite', factory);
