// CreateAuditDigest: signs a digest of the audit chain's head now, rather than at the next
// scheduled one — e.g. just before an auditor copies the trail, so that nothing after the last
// digest is left unsigned. Answers the new digest, or NewEvents false when nothing was appended
// since the last one.
import { fail } from '../core/errors.js';
import type { AdminAction } from './action.js';

export const CreateAuditDigest: AdminAction = {
  async run({ deps }) {
    if (deps.auditDigest === undefined) fail('UnsupportedOperationException', 'The audit trail is off on this server (KEYHOLD_AUDIT=off).');
    const digest = await deps.auditDigest();
    if (digest === undefined) return { NewEvents: false };
    return { NewEvents: true, DigestSeq: digest.digestSeq, HeadSeq: digest.headSeq, HeadHash: digest.headHash, CreationDate: new Date(digest.createdAt) };
  },
};
