// Rendering of AWS query-protocol responses and errors as the XML the AWS SDKs parse:
// <ActionResponse xmlns=…><ActionResult>…</ActionResult><ResponseMetadata><RequestId>…
// Lists render as <member> children; dates as ISO 8601; everything else as escaped text.

export type XmlValue = string | number | boolean | Date | readonly XmlValue[] | XmlObject | undefined;
export interface XmlObject {
  readonly [element: string]: XmlValue;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for element content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

function render(value: XmlValue): string {
  if (value === undefined) return '';
  if (value instanceof Date) return escapeXml(value.toISOString());
  if (Array.isArray(value)) return (value as readonly XmlValue[]).map((v) => `<member>${render(v)}</member>`).join('');
  if (typeof value === 'object') {
    return Object.entries(value as XmlObject)
      .filter(([, v]) => v !== undefined)
      .map(([name, v]) => `<${name}>${render(v)}</${name}>`)
      .join('');
  }
  return escapeXml(String(value));
}

/** A successful response for `action` (e.g. `CreateUser`) in the service's XML namespace. */
export function queryResponse(namespace: string, action: string, result: XmlObject | undefined, requestId: string): string {
  const body = result === undefined ? '' : `<${action}Result>${render(result)}</${action}Result>`;
  return `<${action}Response xmlns="${escapeXml(namespace)}">${body}<ResponseMetadata><RequestId>${escapeXml(requestId)}</RequestId></ResponseMetadata></${action}Response>`;
}

/** An error as IAM and STS return it; `type` is Sender for client faults, Receiver for ours. */
export function queryError(namespace: string, type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return `<ErrorResponse xmlns="${escapeXml(namespace)}"><Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
}

export const IAM_NAMESPACE = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
