// Runs the storage conformance suite on the SQLite store.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storeConformance } from '../conformance.js';
import { SqliteStore } from './sqlite-store.js';

let path = '';
storeConformance('sqlite', {
  async create() {
    path = join(mkdtempSync(join(tmpdir(), 'keyhold-store-')), 'keyhold.db');
    return SqliteStore.open(path);
  },
  async connectAgain() {
    return SqliteStore.open(path);
  },
});
