const pad2 = (n: number): string => (n < 10 ? "0" : "") + n;

/** `YYYYMMDDTHHMMSSZ` in UTC, the X-Sdk-Date format (for years 1000 to 9999). */
export function formatSdkDate(date: Date): string {
  return `${date.getUTCFullYear()}${pad2(date.getUTCMonth() + 1)}${pad2(date.getUTCDate())}T${pad2(date.getUTCHours())}${pad2(date.getUTCMinutes())}${pad2(date.getUTCSeconds())}Z`;
}

const SDK_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

/** The instant an X-Sdk-Date names, or undefined when it is not in that format. */
export function parseSdkDate(value: string): Date | undefined {
  const m = SDK_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const date = new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s));
  return formatSdkDate(date) === value ? date : undefined;
}

let cachedSecond = -1;
let cachedDate = "";

/** formatSdkDate of the current time; the text changes once a second, so it is made once a second. */
export function currentSdkDate(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== cachedSecond) {
    cachedDate = formatSdkDate(new Date(second * 1000));
    cachedSecond = second;
  }
  return cachedDate;
}
