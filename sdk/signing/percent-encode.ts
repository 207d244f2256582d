// RFC 3986 unreserved characters stay as they are; everything else is the UTF-8 bytes, %XX upper-case.
// encodeURIComponent leaves !'()* alone, so those four are encoded by hand to match the gateway.
const EXTRA = /[!'()*]/g;

export function percentEncode(value: string): string {
  return encodeURIComponent(value).replace(EXTRA, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
