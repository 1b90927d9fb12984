// The key policy of a service-managed key, as AWS writes it for its AWS managed keys ("Key policies
// of AWS managed keys", e.g. aws/ebs): every principal of the account may use the key, but only
// through the service; the account may read the key, its policy and its grants directly. Nothing
// allows managing it (policy, state, rotation, deletion, tags, aliases), and the policy cannot be
// changed (managed-key-guard.ts refuses PutKeyPolicy), so nothing ever will.

/** The policy of the managed key of `service` in `accountId`; `viaService` is the kms:ViaService value requests through the service carry. */
export function serviceManagedKeyPolicy(accountId: string, service: string, viaService: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Id: `auto-${service}-1`,
    Statement: [
      {
        Sid: `Allow access through ${service} for all principals in the account that are authorized to use ${service}`,
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:CreateGrant', 'kms:DescribeKey'],
        Resource: '*',
        Condition: { StringEquals: { 'kms:ViaService': viaService, 'kms:CallerAccount': accountId } },
      },
      {
        Sid: 'Allow direct access to key metadata to the account',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: ['kms:Describe*', 'kms:Get*', 'kms:List*'],
        Resource: '*',
      },
    ],
  });
}
