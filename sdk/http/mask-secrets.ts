// Server text (error bodies, proxy pages, header values) may quote what the request carried: a
// debug echo, a 502 page or a captive portal can show the security token, and a gateway its
// canonical request. Before such text goes into an error or a log line, every configured secret is
// masked: whole, and any piece of MIN_PIECE characters or more, also when the server escaped it
// (JSON `\/` and `\uXXXX`, percent-encoding, HTML character references, once or twice) or changed its case.

/** The shortest piece of a secret that is masked when it appears on its own. */
export const MIN_PIECE = 8;
/** The most original characters one decoded character can take (`\u002f`, `&#x0002f;`, escaped twice). */
const MAX_ESCAPE_LENGTH = 9 * 9;
const MARK = "[redacted]";

const NAMED_ENTITIES: Record<string, string> = { amp: "&", quot: '"', apos: "'", lt: "<", gt: ">", sol: "/", plus: "+", equals: "=", num: "#", percnt: "%", bsol: "\\" };

/**
 * The text with escapes decoded and lower-cased, and for each decoded character the range of the
 * original text it came from.
 */
function decode(text: string): { decoded: string; from: number[]; to: number[] } {
  let decoded = "";
  const from: number[] = [];
  const to: number[] = [];
  const push = (ch: string, start: number, end: number) => {
    decoded += ch.toLowerCase();
    from.push(start);
    to.push(end);
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    let m: RegExpExecArray | null = null;
    if (c === "\\") {
      if ((m = /^\\u([0-9a-fA-F]{4})/.exec(text.slice(i, i + 6)))) {
        push(String.fromCharCode(parseInt(m[1], 16)), i, i + 6);
        i += 6;
        continue;
      }
      const next = text[i + 1];
      if (next === "/" || next === "\\" || next === '"' || next === "'") {
        push(next, i, i + 2);
        i += 2;
        continue;
      }
    } else if (c === "%") {
      if ((m = /^%([0-9a-fA-F]{2})/.exec(text.slice(i, i + 3)))) {
        push(String.fromCharCode(parseInt(m[1], 16)), i, i + 3);
        i += 3;
        continue;
      }
    } else if (c === "&") {
      const head = text.slice(i, i + 12);
      if ((m = /^&#[xX]0*([0-9a-fA-F]{1,4});/.exec(head)) || (m = /^&#0*([0-9]{1,5});/.exec(head))) {
        const code = m[0][2] === "x" || m[0][2] === "X" ? parseInt(m[1], 16) : parseInt(m[1], 10);
        push(String.fromCharCode(code), i, i + m[0].length);
        i += m[0].length;
        continue;
      }
      if ((m = /^&([a-z]+);/.exec(head)) && NAMED_ENTITIES[m[1]] !== undefined) {
        push(NAMED_ENTITIES[m[1]], i, i + m[0].length);
        i += m[0].length;
        continue;
      }
    }
    push(c, i, i + 1);
    i++;
  }
  return { decoded, from, to };
}

/**
 * `text` with every secret masked: whole secrets, and every piece of MIN_PIECE or more characters of
 * one, in any case and under the escapes servers use. Masked runs become one "[redacted]".
 */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const wanted = secrets.filter((s): s is string => typeof s === "string" && s.length > 0).map((s) => s.toLowerCase());
  if (wanted.length === 0 || text.length === 0) return text;
  const once = decode(text);
  // Escapes of escapes too (a token percent-encoded twice, as in a URL inside a query): the second
  // decoding's characters map back through the first to the original text.
  const layers = [once];
  if (/[%\\&]/.test(once.decoded)) {
    const twice = decode(once.decoded);
    if (twice.decoded !== once.decoded) layers.push({ decoded: twice.decoded, from: twice.from.map((i) => once.from[i]), to: twice.to.map((i) => once.to[i - 1]) });
  }
  // The text as it is, too: a "%" or "&" just before a quote would otherwise read as an escape and
  // hide the piece it starts.
  const plain = text.toLowerCase();
  const masked = new Uint8Array(text.length);
  let any = false;
  for (const secret of wanted) {
    // A short secret is masked only whole: its pieces would be too common to mean anything.
    const pieceLength = Math.min(secret.length, MIN_PIECE);
    const seen = new Set<string>();
    for (let i = 0; i + pieceLength <= secret.length; i++) {
      const piece = secret.slice(i, i + pieceLength);
      if (seen.has(piece)) continue;
      seen.add(piece);
      for (const { decoded, from, to } of layers) {
        for (let at = decoded.indexOf(piece); at !== -1; at = decoded.indexOf(piece, at + 1)) {
          for (let k = from[at]; k < to[at + pieceLength - 1]; k++) masked[k] = 1;
          any = true;
        }
      }
      if (plain.length === text.length) {
        for (let at = plain.indexOf(piece); at !== -1; at = plain.indexOf(piece, at + 1)) {
          masked.fill(1, at, at + pieceLength);
          any = true;
        }
      }
    }
  }
  if (!any) return text;
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (masked[i]) {
      while (i < text.length && masked[i]) i++;
      out += MARK;
    } else {
      const start = i;
      while (i < text.length && !masked[i]) i++;
      out += text.slice(start, i);
    }
  }
  return out;
}

/**
 * At most `max` characters of masked text, for an error or a log line: control characters become
 * spaces, runs of white space one space. Mask first with the margin this needs: `maskedExcerpt`.
 */
export function excerpt(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim();
  return flat.length <= max ? flat : flat.slice(0, max - 1) + "…";
}

/**
 * A short, masked excerpt of a possibly large server text: only the head that can reach the excerpt
 * is scanned (a piece of a secret is at most MIN_PIECE escaped characters long), so an 8 MB body
 * costs no more than a short one.
 */
export function maskedExcerpt(text: string, max: number, secrets: readonly (string | undefined)[]): string {
  const head = text.length > max * 2 + MIN_PIECE * MAX_ESCAPE_LENGTH ? text.slice(0, max * 2 + MIN_PIECE * MAX_ESCAPE_LENGTH) : text;
  return excerpt(maskSecrets(head, secrets), max);
}
