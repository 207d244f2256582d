// The official Huawei Cloud Node.js signer (a dev dependency), wrapped for the differential specs.
// Not a spec file: jest only runs `*.test.ts`.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";

/** The request shape `AKSKSigner.sign` reads. `endpoint` is scheme, host and path: never the query. */
export interface OfficialRequest {
  method: string;
  endpoint: string;
  queryParams: Record<string, string | string[]>;
  headers: Record<string, string>;
  /** Hashed as `JSON.stringify(data)` by the official signer. */
  data?: unknown;
}

export interface OfficialTrace {
  headers: Record<string, string>;
  canonicalRequest: string;
  stringToSign: string;
}

type Sign = (request: OfficialRequest, credential: { getAk(): string; getSk(): string }) => Record<string, string>;
type Internals = {
  buildCanonicalRequest: (...args: unknown[]) => string;
  getStringToSign: (...args: unknown[]) => string;
  urlEncode: (value: string) => string;
};

const internals = AKSKSigner as unknown as Internals;

/**
 * Signs with the official signer. The arrays in `queryParams` are copied first: the official
 * signer sorts them in place.
 */
export function officialSign(request: OfficialRequest, accessKey: string, secretKey: string): Record<string, string> {
  const queryParams: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(request.queryParams)) queryParams[key] = typeof value === "string" ? value : [...value];
  const sign = AKSKSigner.sign.bind(AKSKSigner) as unknown as Sign;
  return sign({ ...request, queryParams, headers: { ...request.headers } }, { getAk: () => accessKey, getSk: () => secretKey });
}

/** Signs with the official signer and also returns the canonical request and string to sign it built. */
export function officialTrace(request: OfficialRequest, accessKey: string, secretKey: string): OfficialTrace {
  const buildCanonicalRequest = internals.buildCanonicalRequest;
  const getStringToSign = internals.getStringToSign;
  let canonicalRequest: string | undefined;
  let stringToSign: string | undefined;
  internals.buildCanonicalRequest = function (this: unknown, ...args: unknown[]) {
    return (canonicalRequest = buildCanonicalRequest.apply(this, args));
  };
  internals.getStringToSign = function (this: unknown, ...args: unknown[]) {
    return (stringToSign = getStringToSign.apply(this, args));
  };
  try {
    const headers = officialSign(request, accessKey, secretKey);
    if (canonicalRequest === undefined || stringToSign === undefined) throw new Error("the official signer's internals changed: nothing was traced");
    return { headers, canonicalRequest, stringToSign };
  } finally {
    internals.buildCanonicalRequest = buildCanonicalRequest;
    internals.getStringToSign = getStringToSign;
  }
}

/** The official signer's percent-encoder (a protected static). */
export function officialUrlEncode(value: string): string {
  return internals.urlEncode.call(AKSKSigner, value);
}
