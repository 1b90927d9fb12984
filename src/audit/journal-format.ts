// The audit journal's on-disk form. Each serving process appends the events it records to its own
// segment files (audit-journal/<pid>-<writer>-<n>.journal), one frame per event:
//   u32 LE length | u32 LE CRC-32 of the text | the event's exact text (UTF-8)
// A frame whose bytes are not all there, or whose CRC does not match, ends what can be read: it is
// a write still in progress, or the torn tail of a process that died while writing it (and so was
// never acknowledged).
import { crc32 } from 'node:zlib';

export const JOURNAL_DIR = 'audit-journal';
const HEADER_BYTES = 8;
/** Far above any event (a few kilobytes): a larger length can only be a torn or corrupt header. */
const MAX_RECORD_BYTES = 4 * 1024 * 1024;

export function encodeFrame(record: string): Buffer {
  const length = Buffer.byteLength(record, 'utf8');
  const frame = Buffer.allocUnsafe(HEADER_BYTES + length);
  frame.writeUInt32LE(length, 0);
  frame.write(record, HEADER_BYTES, 'utf8');
  frame.writeUInt32LE(crc32(frame.subarray(HEADER_BYTES)), 4);
  return frame;
}

export interface ReadFrames {
  readonly records: string[];
  /** Bytes of whole, valid frames from the start of the buffer. */
  readonly consumed: number;
  /** True when what follows `consumed` is not a frame in progress but bytes that cannot be one.
   *  (A reader sees a prefix of a concurrent write, which reads as a frame in progress.) */
  readonly damaged: boolean;
}

/** The whole valid frames at the start of `bytes`. */
export function readFrames(bytes: Buffer): ReadFrames {
  const records: string[] = [];
  let at = 0;
  for (;;) {
    if (bytes.length - at < HEADER_BYTES) return { records, consumed: at, damaged: false };
    const length = bytes.readUInt32LE(at);
    if (length === 0 || length > MAX_RECORD_BYTES) return { records, consumed: at, damaged: true };
    const end = at + HEADER_BYTES + length;
    if (end > bytes.length) return { records, consumed: at, damaged: false };
    const text = bytes.subarray(at + HEADER_BYTES, end);
    if (crc32(text) !== bytes.readUInt32LE(at + 4)) return { records, consumed: at, damaged: true };
    records.push(text.toString('utf8'));
    at = end;
  }
}

/** A segment's name: the writing process, its writer (one per AuditJournal) and the segment's number. */
export const segmentName = (pid: number, writer: string, n: number): string => `${pid}-${writer}-${n}.journal`;

export interface Segment {
  readonly name: string;
  readonly pid: number;
  readonly writer: string;
  readonly n: number;
}

export function parseSegmentName(name: string): Segment | undefined {
  const match = /^(\d+)-([0-9a-f]+)-(\d+)\.journal$/.exec(name);
  if (match === null) return undefined;
  return { name, pid: Number(match[1]), writer: match[2] ?? '', n: Number(match[3]) };
}
