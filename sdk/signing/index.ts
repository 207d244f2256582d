export { percentEncode } from "./percent-encode";
export { canonicalUri } from "./canonical-uri";
export { canonicalQuery, queryOf, type QueryParams } from "./canonical-query";
export { canonicalHeaders, signedHeaderNames } from "./canonical-headers";
export { payloadHash, EMPTY_BODY_SHA256 } from "./payload-hash";
export { formatSdkDate, parseSdkDate } from "./sdk-date";
export { canonicalRequest, stringToSign, ALGORITHM, type SigningInput } from "./canonical-request";
export { signature, forgetSigningKey, authorizationHeader, parseAuthorization, type ParsedAuthorization } from "./signature";
export { signRequest, decodedPath, type SignableRequest, type Credentials, type SignOptions } from "./sign-request";
