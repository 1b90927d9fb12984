// A KMS request made through an integrated service: signed by the customer's own principal, it
// also carries `x-keyhold-via-service: <name>` and `x-keyhold-service-token: <token>`. When the
// token is the registered service's, the request has kms:ViaService `<name>.<region>.amazonaws.com`,
// which the service-managed key's policy requires. The token is never echoed or logged.
import type { IncomingHttpHeaders } from 'node:http';
import { viaServiceValue, type IntegratedServices } from '../auth/integrated-services.js';
import { needs } from '../core/errors.js';

export const VIA_SERVICE_HEADER = 'x-keyhold-via-service';
export const SERVICE_TOKEN_HEADER = 'x-keyhold-service-token';

const NOT_PROVEN = 'The request names an integrated service (x-keyhold-via-service) but its x-keyhold-service-token does not prove the request came through it.';

/**
 * The request's kms:ViaService value, or undefined when it names no integrated service.
 * Security contract: AccessDeniedException unless both headers are present, once each, covered by
 * the caller's signature (so a service cannot attach them to a request its customer signed for
 * direct use), and the token is the named service's (compared as SHA-256 digests in constant
 * time). An unknown service and a wrong token are refused alike.
 */
export async function viaServiceOf(services: IntegratedServices, headers: IncomingHttpHeaders, signedHeaders: readonly string[], region: string): Promise<string | undefined> {
  const name = headers[VIA_SERVICE_HEADER];
  const token = headers[SERVICE_TOKEN_HEADER];
  if (name === undefined && token === undefined) return undefined;
  // node joins a repeated custom header with ", ", which no name or token contains.
  needs(typeof name === 'string' && typeof token === 'string', 'AccessDeniedException', NOT_PROVEN);
  /* Precondition: both headers are signed, so the caller chose to act through the service. */
  needs(signedHeaders.includes(VIA_SERVICE_HEADER) && signedHeaders.includes(SERVICE_TOKEN_HEADER), 'AccessDeniedException',
    `The ${VIA_SERVICE_HEADER} and ${SERVICE_TOKEN_HEADER} headers must be signed (listed in SignedHeaders).`);
  /* Precondition: the token is the named, registered service's. */
  needs(await services.verify(name, token), 'AccessDeniedException', NOT_PROVEN);
  return viaServiceValue(name, region);
}
