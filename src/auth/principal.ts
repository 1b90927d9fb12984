// The authenticated caller, carried in every request's context (authorization comes later).

export interface Principal {
  readonly accountId: string;
  readonly arn: string;
  readonly accessKeyId: string;
  readonly type: 'Root' | 'IAMUser' | 'AssumedRole';
  /** The keyhold administrator: may act on every account. */
  readonly isAdmin: boolean;
}
