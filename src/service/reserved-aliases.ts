// ListAliases's reserved aliases: like AWS, which lists the predefined `alias/aws/<service>` of its
// services in every account, with no TargetKeyId until the service-managed key exists, keyhold lists
// one for every registered service. Once the key exists the alias is stored, and listed as stored.
import type { AliasRecord } from '../core/keys.js';
import type { Page, StoreTx } from '../store/store.js';
import { RESERVED_ALIAS_PREFIX, reservedAlias } from './service-managed-keys.js';

/** An alias as ListAliases shows it: stored (it has a key), or reserved for a service and keyless. */
export interface ListedAlias {
  readonly name: string;
  readonly stored: AliasRecord | undefined;
}

/**
 * One page of an account's aliases after `after`, in name order: the stored aliases merged with the
 * reserved aliases of registered services that have no key yet. Each source is read `limit` items
 * deep, so an item from one that makes the page sorts before the other's first unread item: no
 * alias is skipped, and a reserved alias is never listed keyless while its stored self is unread.
 */
export async function aliasesWithReserved(tx: StoreTx, accountId: string, region: string, after: string | undefined, limit: number): Promise<Page<ListedAlias>> {
  const stored = await tx.listAliases(accountId, region, undefined, after, limit);
  const serviceAfter = servicesAfter(after);
  const services = serviceAfter === null ? { items: [], next: undefined } : await tx.listServices(serviceAfter, limit);
  const byName = new Map<string, ListedAlias>();
  for (const service of services.items) byName.set(reservedAlias(service.name), { name: reservedAlias(service.name), stored: undefined });
  for (const alias of stored.items) byName.set(alias.name, { name: alias.name, stored: alias }); // the stored alias wins
  const merged = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const items = merged.slice(0, limit);
  const more = merged.length > limit || stored.next !== undefined || services.next !== undefined;
  return { items, next: more ? items[items.length - 1]?.name : undefined };
}

/** The services whose reserved alias sorts after `after`: every one (undefined), those named after
 *  a given name, or none (null) when `after` is past every `alias/aws/…` name. */
function servicesAfter(after: string | undefined): string | undefined | null {
  if (after === undefined || after < RESERVED_ALIAS_PREFIX) return undefined;
  if (after.startsWith(RESERVED_ALIAS_PREFIX)) return after.slice(RESERVED_ALIAS_PREFIX.length);
  return null;
}
