// RFC 3986 unreserved characters stay as they are; everything else is the UTF-8 bytes, %XX upper-case.
// encodeURIComponent leaves !'()* alone, so those four are encoded by hand to match the gateway.
const UNRESERVED_ONLY = /^[A-Za-z0-9_.~-]*$/;
const EXTRA = /[!'()*]/g;

export function percentEncode(value: string): string {
  // Ids, numbers and times are the usual values: most strings need no encoding at all.
  if (UNRESERVED_ONLY.test(value)) return value;
  return encodeURIComponent(value).replace(EXTRA, (c) => "%" + c.charCodeAt(0).toString(16).toUpperCase());
}
