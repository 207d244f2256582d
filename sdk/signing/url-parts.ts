/** What the signer reads from a URL. */
export interface UrlParts {
  /** host[:port], the port left out when it is the scheme's default. */
  host: string;
  /** The path as sent (percent-encoded as the URL has it). */
  pathname: string;
  /** "?query", or "" for none. */
  search: string;
}

/** UrlParts, and whether path and query hold only unreserved characters, "/", "=" and "&" (nothing to decode or encode). */
export interface SignerUrlParts extends UrlParts {
  plain: boolean;
}

// The URLs the client signs are all alike: https, a DNS name, a path of ids and a query of
// unreserved characters. WHATWG parsing changes nothing in such a URL, so it is split by hand; any
// URL outside this shape (IP addresses, default or odd ports, dot segments, escapes, upper case,
// user info, fragments) goes to the URL class, which is the rule.
const PLAIN_URL = /^(https?):\/\/((?:[a-z0-9-]+\.)*[a-z][a-z0-9-]*)(?::([1-9][0-9]{0,4}))?(\/[A-Za-z0-9_.~\/-]*)?(\?[A-Za-z0-9_.~=&-]*)?$/;
const DOT_SEGMENT = /\/\.\.?(?:\/|$)/;

/** The host, path and query of an absolute URL, as `new URL(url)` gives them; throws as it does on a URL it cannot parse. */
export function urlParts(url: string): SignerUrlParts {
  const m = PLAIN_URL.exec(url);
  if (m === null || (m[3] !== undefined && (Number(m[3]) > 65535 || m[3] === (m[1] === "https" ? "443" : "80"))) || (m[4] !== undefined && DOT_SEGMENT.test(m[4]))) {
    const parsed = new URL(url);
    return { host: parsed.host, pathname: parsed.pathname, search: parsed.search, plain: false };
  }
  const search = m[5] === undefined || m[5] === "?" ? "" : m[5];
  return { host: m[3] === undefined ? m[2] : `${m[2]}:${m[3]}`, pathname: m[4] ?? "/", search, plain: true };
}
