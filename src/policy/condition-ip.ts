// IPv4/IPv6 addresses and CIDR blocks for the IpAddress and NotIpAddress condition operators.
// Written here (node:net only validates) so that keyhold takes no dependency for a security check.
import { isIP } from 'node:net';

/** An address or a block: the network bytes (4 or 16) and how many leading bits must match. */
export interface Cidr {
  readonly bytes: Uint8Array;
  readonly prefix: number;
}

/** The bytes of an IPv4 or IPv6 address, or undefined for anything else (zone ids included:
 *  `fe80::1%eth0` names an interface, not a place a policy can describe). */
export function parseIp(text: string): Uint8Array | undefined {
  if (text.includes('%')) return undefined;
  const family = isIP(text);
  if (family === 4) return parseV4(text);
  if (family === 6) return parseV6(text);
  return undefined;
}

function parseV4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const n = Number(parts[i]);
    if (!Number.isInteger(n) || n < 0 || n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

// isIP has already accepted the text, so only the layout is worked out here: up to one `::`,
// hextets of 1-4 digits, and an optional dotted IPv4 tail worth two hextets.
function parseV6(text: string): Uint8Array | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = hextets(halves[0] ?? '');
  const tail = halves.length === 2 ? hextets(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const words = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  const out = new Uint8Array(16);
  words.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

function hextets(part: string): number[] | undefined {
  if (part === '') return [];
  const out: number[] = [];
  const groups = part.split(':');
  for (const [i, g] of groups.entries()) {
    if (g.includes('.') && i === groups.length - 1) {
      const v4 = parseV4(g);
      if (v4 === undefined) return undefined;
      out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
    } else {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
  }
  return out;
}

/** Parses `addr/prefix`, or a bare address as a single host.
 *  AWS: "If you specify an IP address without the associated routing prefix, IAM uses the
 *  default prefix value of /32." keyhold reads a bare IPv6 address as /128 likewise.
 *  Host bits past the prefix are ignored, as AWS ignores them. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const bytes = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (bytes === undefined) return undefined;
  const max = bytes.length * 8;
  if (slash < 0) return { bytes, prefix: max };
  const p = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p)) return undefined;
  const prefix = Number(p);
  return prefix <= max ? { bytes, prefix } : undefined;
}

/** True if `ip` lies in `block`. An IPv4 address never lies in an IPv6 block nor the reverse
 *  (IPv4-mapped forms are not unified: AWS documents no such mapping). */
export function cidrContains(block: Cidr, ip: Uint8Array): boolean {
  if (block.bytes.length !== ip.length) return false;
  const whole = block.prefix >> 3;
  for (let i = 0; i < whole; i++) if (block.bytes[i] !== ip[i]) return false;
  const rest = block.prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return ((block.bytes[whole] ?? 0) & mask) === ((ip[whole] ?? 0) & mask);
}
