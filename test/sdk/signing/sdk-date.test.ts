import fc from "fast-check";
import { formatSdkDate, parseSdkDate } from "../../../sdk/signing";

describe("formatSdkDate", () => {
  it("writes YYYYMMDDTHHMMSSZ in UTC, dropping milliseconds", () => {
    expect(formatSdkDate(new Date("2024-01-31T23:59:59.999Z"))).toBe("20240131T235959Z");
    expect(formatSdkDate(new Date("2024-02-01T07:59:59+08:00"))).toBe("20240131T235959Z");
    expect(formatSdkDate(new Date(0))).toBe("19700101T000000Z");
  });
});

describe("parseSdkDate", () => {
  it("reads the instant an X-Sdk-Date names", () => {
    expect(parseSdkDate("20240229T120000Z")).toEqual(new Date("2024-02-29T12:00:00Z"));
  });

  it("round-trips with formatSdkDate (whole seconds, years 1970 to 9999)", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1970-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true }), (d) => {
        const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
        const text = formatSdkDate(whole);
        return parseSdkDate(text)?.getTime() === whole.getTime() && formatSdkDate(parseSdkDate(text)!) === text;
      }),
      { numRuns: 500, seed: 13 },
    );
  });

  it.each([
    ["20240230T000000Z", "no 30 February"],
    ["20230229T000000Z", "no 29 February outside a leap year"],
    ["20241301T000000Z", "month 13"],
    ["20240100T000000Z", "day 0"],
    ["20240101T240000Z", "hour 24"],
    ["20240101T006000Z", "minute 60"],
    ["20240101T000060Z", "second 60"],
    ["20240101T000000", "no Z"],
    ["20240101t000000z", "lower-case t and z"],
    ["2024-01-01T00:00:00Z", "extended ISO format"],
    [" 20240101T000000Z", "leading space"],
    ["", "empty"],
  ])("rejects %j (%s)", (text) => {
    expect(parseSdkDate(text)).toBeUndefined();
  });
});
