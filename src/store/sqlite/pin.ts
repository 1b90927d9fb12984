// Keeps better-sqlite3 objects (databases, statements, iterators) from ever being garbage-collected.
// On Node 24.19 and later, the destructor that runs when the GC collects a better-sqlite3
// Statement or Database can abort the whole process (node::RemoveEnvironmentCleanupHook asserts
// `env != nullptr`; reported upstream as WiseLibs/better-sqlite3#1515 and unfixed in 12.x, while
// 13.x needs Node 22). A server prepares a bounded set of statements once, so holding them for
// the life of the process costs little and removes the crash.
const pinned = new Set<object>();

export function pin<T extends object>(value: T): T {
  pinned.add(value);
  return value;
}

/** Pins `db` and every statement it prepares from now on: for connections whose statements are
 *  prepared ad hoc (tests, the CLI, periodic jobs) rather than once. Statements prepared per call
 *  then live as long as the process, so a long-lived caller should still prepare each SQL once. */
export function pinnedDatabase<D extends { prepare(sql: string): object }>(db: D): D {
  const prepare = db.prepare.bind(db);
  db.prepare = (sql: string) => pinnedStatement(prepare(sql));
  return pin(db);
}

/** Pins a statement and every iterator it hands out: a collected StatementIterator aborts too. */
function pinnedStatement<S extends object>(statement: S): S {
  const s = statement as S & { iterate?: (...params: unknown[]) => object };
  const iterate = s.iterate?.bind(statement);
  if (iterate) s.iterate = (...params: unknown[]) => pin(iterate(...params));
  return pin(statement);
}
