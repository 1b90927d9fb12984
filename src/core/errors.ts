// The closed catalog of errors keyhold can return: each AWS `__type` with its HTTP status.
// Statuses of KMS errors follow ../shared/reference/kms-error-status.json (the AWS Smithy model);
// protocol-level errors (authentication, serialization) follow what AWS JSON services return.
// Only the HTTP edge renders these; anything that is not a KmsError becomes KMSInternalException.

export const errorStatus = {
  // KMS service errors (kms-error-status.json)
  AlreadyExistsException: 409,
  ConflictException: 409,
  CustomKeyStoreHasCMKsException: 400,
  CustomKeyStoreInvalidStateException: 400,
  CustomKeyStoreNameInUseException: 400,
  CustomKeyStoreNotFoundException: 400,
  DependencyTimeoutException: 503,
  DisabledException: 409,
  DryRunOperationException: 412,
  ExpiredImportTokenException: 400,
  IncorrectKeyException: 400,
  IncorrectKeyMaterialException: 400,
  InvalidAliasNameException: 400,
  InvalidArnException: 400,
  InvalidCiphertextException: 400,
  InvalidGrantIdException: 400,
  InvalidGrantTokenException: 400,
  InvalidImportTokenException: 400,
  InvalidKeyUsageException: 400,
  InvalidMarkerException: 400,
  KMSInternalException: 500,
  KMSInvalidMacException: 400,
  KMSInvalidSignatureException: 400,
  KMSInvalidStateException: 409,
  KeyUnavailableException: 500,
  LimitExceededException: 400,
  MalformedPolicyDocumentException: 400,
  NotFoundException: 404,
  TagException: 400,
  UnsupportedOperationException: 400,
  // Protocol and authentication errors common to AWS JSON services
  AccessDeniedException: 400,
  IncompleteSignatureException: 400,
  InvalidSignatureException: 400,
  MissingAuthenticationTokenException: 400,
  UnrecognizedClientException: 400,
  ExpiredTokenException: 400,
  SerializationException: 400,
  UnknownOperationException: 400,
  ValidationException: 400,
  RequestEntityTooLargeException: 413,
  ThrottlingException: 400,
} as const satisfies Record<string, number>;

export type ErrorType = keyof typeof errorStatus;

/** An error meant for the client: its type and message are sent as they are, so the message
 *  must never contain secrets or internal detail. */
export class KmsError extends Error {
  override readonly name = 'KmsError';
  constructor(
    readonly type: ErrorType,
    message: string,
  ) {
    super(message);
  }

  get status(): number {
    return errorStatus[this.type];
  }
}

/** Throws a client-facing error. */
export function fail(type: ErrorType, message: string): never {
  throw new KmsError(type, message);
}

/** Precondition helper in the style of the AWS Encryption SDK's `needs`. */
export function needs(condition: unknown, type: ErrorType, message: string): asserts condition {
  if (!condition) throw new KmsError(type, message);
}
