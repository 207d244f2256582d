/**
 * The error answers the emulator gives, with the codes and messages of the real gateway (APIGW.*)
 * and of the DMS service (DMS.*). Where the real code is unknown, the code is of the right family
 * and the message says what happened; both are listed in one place so they are easy to correct.
 */

/** An answer that is not a success: thrown by handlers, turned into a JSON body by the server. */
export class EmulatorHttpError extends Error {
  readonly status: number;
  readonly errorCode: string;
  /** Extra response headers, e.g. `Retry-After`. */
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, errorCode: string, message: string, headers: Record<string, string> = {}) {
    super(message);
    this.name = "EmulatorHttpError";
    this.status = status;
    this.errorCode = errorCode;
    this.headers = headers;
  }
}

/**
 * The DMS service's own refusals of a request it understood (a bad query value, an unknown instance
 * or task, a project mismatch). Their bodies hold only error_code and error_msg, as the service's
 * documented error examples do; the request id reaches the caller in the gateway's X-Request-Id
 * header. Whether the live service adds request_id to these bodies is unverified: clients must
 * read the header when the body has none.
 */
const SERVICE_REFUSALS: ReadonlySet<string> = new Set(["DMS.00400062", "DMS.00403001", "DMS.00404022", "DMS.00404029"]);

/** The body an error carries, as the gateway and DMS send it. */
export function errorBody(errorCode: string, errorMsg: string, requestId: string): string {
  if (SERVICE_REFUSALS.has(errorCode)) return JSON.stringify({ error_code: errorCode, error_msg: errorMsg });
  return JSON.stringify({ error_code: errorCode, error_msg: errorMsg, request_id: requestId });
}

// --- Gateway (APIG) errors -------------------------------------------------------------------

export const APIGW_AUTH = "APIGW.0301";

export const apiNotFound = (): EmulatorHttpError =>
  new EmulatorHttpError(404, "APIGW.0101", "The API does not exist or has not been published in the environment");

export const authorizationMissing = (): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, "Incorrect IAM authentication information: Authorization header missing or malformed");

export const sdkDateMissing = (): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, "Incorrect IAM authentication information: X-Sdk-Date header missing or malformed, expected YYYYMMDDTHHMMSSZ");

export const hostNotSigned = (): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, "Incorrect IAM authentication information: the host header must be signed");

export const unknownAccessKey = (accessKey: string): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, `Get secretKey failed, ak:${accessKey}, err:ak not exist`);

export const signatureMismatch = (canonicalRequest: string): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, `verify aksk signature fail, canonicalRequest:${canonicalRequest.replace(/\n/g, "|")}`);

export const signatureExpired = (signatureTime: string, serverTime: string): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, `calc aksk signature fail:signature expired, signature time:${signatureTime}, server time:${serverTime}`);

export const securityTokenInvalid = (): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, "Incorrect IAM authentication information: the security token is missing, not signed or does not match the access key");

export const accessKeyLocked = (): EmulatorHttpError =>
  new EmulatorHttpError(401, APIGW_AUTH, "AK access failed to reach the limit,forbidden");

export const bodyTooLarge = (): EmulatorHttpError =>
  new EmulatorHttpError(413, "APIGW.0201", "Request entity too large");

export const throttled = (retryAfterSeconds: number): EmulatorHttpError =>
  new EmulatorHttpError(429, "APIGW.0308", "The throttling threshold has been reached", { "Retry-After": String(retryAfterSeconds) });

// --- DMS service errors ----------------------------------------------------------------------

/**
 * An out-of-range or malformed query value. The service's message template is "Invalid {0}
 * parameter in the request."; {0} is taken to be the parameter's name (unverified).
 */
export const invalidParameter = (parameter: string): EmulatorHttpError =>
  new EmulatorHttpError(400, "DMS.00400062", `Invalid ${parameter} parameter in the request.`);

export const instanceNotFound = (): EmulatorHttpError => new EmulatorHttpError(404, "DMS.00404022", "This DMS instance does not exist");

export const taskNotFound = (): EmulatorHttpError => new EmulatorHttpError(404, "DMS.00404029", "The background task does not exist");

export const projectMismatch = (headerProject: string, pathProject: string): EmulatorHttpError =>
  new EmulatorHttpError(
    403,
    "DMS.00403001",
    `The project ID in the X-Project-Id header (${headerProject}) does not match the project ID in the URI (${pathProject})`,
  );

export const internalError = (): EmulatorHttpError => new EmulatorHttpError(500, "DMS.00500000", "Internal server error");

export const serviceUnavailable = (): EmulatorHttpError =>
  new EmulatorHttpError(503, "DMS.00503000", "The service is temporarily unavailable, please try again later");

// --- Admin API errors (the emulator's own surface, so its own code family) -------------------

export const adminBadRequest = (message: string): EmulatorHttpError => new EmulatorHttpError(400, "EMULATOR.0400", message);

export const adminForbidden = (reason = "The emulator admin API answers only clients on the loopback interface"): EmulatorHttpError =>
  new EmulatorHttpError(403, "EMULATOR.0403", reason);

export const adminNotFound = (what: string): EmulatorHttpError => new EmulatorHttpError(404, "EMULATOR.0404", what);

export const adminConflict = (what: string): EmulatorHttpError => new EmulatorHttpError(409, "EMULATOR.0409", what);
