import fc from "fast-check";
import { ValidationError } from "../../sdk";
import { requireInstant } from "../../sdk/validation";
import {
  CONNECTION_OPTIONS,
  UsageError,
  flagUsageError,
  parseCommandLine,
  parseDuration,
  parseId,
  parseInteger,
  parseParam,
  parseParams,
  parseTime,
  requiredIdArgument,
  wantsHelp,
} from "../../cli/args";

const usage = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
};

describe("parseDuration", () => {
  it.each([
    ["500ms", 500],
    ["30s", 30_000],
    ["15m", 900_000],
    ["2h", 7_200_000],
    ["3d", 259_200_000],
    ["1h30m", 5_400_000],
    ["1.5s", 1_500],
    [" 10s ", 10_000],
  ])("%s is %d ms", (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(["", "10", "s", "10x", "-5s", "1h 30m", "0s", "0ms", "ten minutes", "5S"])("refuses %j, naming the flag", (text) => {
    expect(usage(() => parseDuration(text, "timeout"))).toMatch(/^--timeout: /);
  });

  it("adds up any sequence of parts", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.constantFrom("ms", "s", "m", "h", "d")), { minLength: 1, maxLength: 4 }), (parts) => {
        const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 } as const;
        const text = parts.map(([n, u]) => `${n}${u}`).join("");
        expect(parseDuration(text)).toBe(parts.reduce((sum, [n, u]) => sum + n * unit[u], 0));
      }),
    );
  });
});

describe("parseTime", () => {
  const now = new Date("2024-05-01T12:00:00.000Z");

  it.each([
    ["20240131235959", "2024-01-31T23:59:59.000Z"],
    ["2024-01-31T23:59:59Z", "2024-01-31T23:59:59.000Z"],
    ["2024-01-31T23:59:59.250Z", "2024-01-31T23:59:59.250Z"],
    ["2024-01-31T23:59:59+08:00", "2024-01-31T15:59:59.000Z"],
    ["2024-01-31T23:59", "2024-01-31T23:59:00.000Z"],
    ["2024-01-31T23:59:59.250", "2024-01-31T23:59:59.250Z"],
    ["2024-01-31 23:59:59", "2024-01-31T23:59:59.000Z"],
    ["2024-01-31 23:59:59-02:00", "2024-02-01T01:59:59.000Z"],
    ["2024-01-31", "2024-01-31T00:00:00.000Z"],
    ["2h", "2024-05-01T10:00:00.000Z"],
    ["15m", "2024-05-01T11:45:00.000Z"],
  ])("%s is %s (no offset means UTC, a duration means ago)", (text, iso) => {
    expect(parseTime(text, "begin", now).toISOString()).toBe(iso);
  });

  // "+0800" is ISO 8601's basic form mixed with the extended one: the sdk (and so the CLI) wants "+08:00".
  it.each(["", "yesterday", "2024-02-30", "20240230000000", "2024-13-01T00:00:00Z", "2024-01-31T25:00:00Z", "202401312359", "1706745599", "2024-01-31T23:59:59+0800", "2024-01-31T"])("refuses %j", (text) => {
    expect(usage(() => parseTime(text, "created-after", now))).toMatch(/^--created-after: .* is not a time; write YYYYMMDDHHmmss/);
  });

  it("reads back every instant it could print, in both formats", () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9999, 11, 31) }), (ms) => {
        const date = new Date(Math.floor(ms / 1000) * 1000);
        const api = date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
        expect(parseTime(api, "t").getTime()).toBe(date.getTime());
        expect(parseTime(date.toISOString(), "t").getTime()).toBe(date.getTime());
      }),
    );
  });

  it("accepts exactly what the sdk's requireInstant accepts, once a missing zone is read as UTC", () => {
    for (const text of ["2024-01-31T23:59:59Z", "2024-01-31T23:59:59.123456789+05:30", "20240131235959", "2024-01-31T23:59Z"]) {
      expect(parseTime(text, "t").getTime()).toBe(requireInstant("t", text).getTime());
    }
    for (const text of ["2024-01-31T23:59:59", "2024-01-31"]) {
      expect(() => requireInstant("t", text)).toThrow(ValidationError);
      expect(parseTime(text, "t").toISOString().endsWith("Z")).toBe(true);
    }
  });
});

describe("parseId / requiredIdArgument", () => {
  it("takes what the sdk takes in a URL path, trimmed", () => {
    expect(parseId("inst-1_A", "instance")).toBe("inst-1_A");
    expect(parseId("  abc  ", "task")).toBe("abc");
    expect(requiredIdArgument(" ff80808272dc ", "taskId")).toBe("ff80808272dc");
  });

  it.each(["../x", "a/b", "a%2Fb", "a?b", "a#b", "a b", "x".repeat(129)])("refuses %j, naming the flag or the argument", (text) => {
    expect(usage(() => parseId(text, "instance"))).toMatch(/^--instance: ".*" has characters other than letters, digits, "-" and "_"/);
    expect(usage(() => requiredIdArgument(text, "taskId"))).toMatch(/^the <taskId> argument: ".*" has characters other than/);
  });

  it("a missing positional id says so", () => {
    expect(usage(() => requiredIdArgument(undefined, "taskId"))).toBe("the <taskId> argument is required");
  });
});

describe("flagUsageError", () => {
  it("names the flag, and writes a millisecond range as durations", () => {
    const range = new ValidationError("timeoutMs", "expected a whole number from 1 to 604800000, got number 691200000", "Pass timeoutMs as an integer.");
    expect(flagUsageError("timeout", "8d", range).message).toBe('--timeout: "8d" is out of range; give from 1ms to 7d');
    const name = new ValidationError("name", 'the string "bind ip" is not a task name', 'Pass a task name such as "bindInstancePublicIp".');
    expect(flagUsageError("name", "bind ip", name).message).toBe('--name: the string "bind ip" is not a task name');
    expect(flagUsageError("region", "Mars", new ValidationError("region", '"Mars" is not a region name', "Use a region id."), true).message).toBe('--region: "Mars" is not a region name. Use a region id.');
  });
});

describe("parseParam / parseParams", () => {
  it("splits at the first =, keeps the rest of the value", () => {
    expect(parseParam("public_ip_address=203.0.113.10")).toEqual(["public_ip_address", "203.0.113.10"]);
    expect(parseParam("expr=a=b")).toEqual(["expr", "a=b"]);
    expect(parseParam("empty=")).toEqual(["empty", ""]);
  });

  it.each(["novalue", "=x", " =x"])("refuses %j", (text) => expect(usage(() => parseParam(text))).toMatch(/is not key=value/));

  it("collects repeated flags and refuses a key given twice", () => {
    expect(parseParams(["a=1", "b=2"])).toEqual({ a: "1", b: "2" });
    expect(parseParams(undefined)).toBeUndefined();
    expect(usage(() => parseParams(["a=1", "a=2"]))).toMatch(/a is given twice/);
  });
});

describe("parseInteger", () => {
  it("takes whole numbers in range only", () => {
    expect(parseInteger("5", "limit", 1, 10)).toBe(5);
    for (const bad of ["0", "11", "-1", "1.5", "five", ""]) expect(usage(() => parseInteger(bad, "limit", 1, 10))).toMatch(/^--limit: /);
  });
});

describe("parseCommandLine", () => {
  const options = { ...CONNECTION_OPTIONS, instance: { type: "string" }, name: { type: "string", multiple: true }, json: { type: "boolean" } } as const;

  it("parses flags and positionals with util.parseArgs", () => {
    const { values, positionals } = parseCommandLine(["t1", "--instance", "i1", "--name", "a", "--name=b", "--json", "--project-id", "p"], options, 1);
    expect(positionals).toEqual(["t1"]);
    expect(values).toMatchObject({ instance: "i1", name: ["a", "b"], json: true, "project-id": "p" });
  });

  it("turns parseArgs errors into short usage messages", () => {
    expect(usage(() => parseCommandLine(["--bogus"], options, 0))).toBe("unknown flag --bogus");
    expect(usage(() => parseCommandLine(["-x"], options, 0))).toBe("unknown flag -x");
    expect(usage(() => parseCommandLine(["--instance"], options, 0))).toBe("--instance needs a value");
    expect(usage(() => parseCommandLine(["--json=yes"], options, 0))).toBe("--json takes no value");
    expect(usage(() => parseCommandLine(["a", "b"], options, 1))).toBe('unexpected argument "b"');
  });

  it("finds --help and -h before any --", () => {
    expect(wantsHelp(["--instance", "x", "-h"])).toBe(true);
    expect(wantsHelp(["--bogus", "--help"])).toBe(true);
    expect(wantsHelp(["--", "--help"])).toBe(false);
    expect(wantsHelp(["--instance", "x"])).toBe(false);
  });
});

describe("times before 1970 and object-internal param keys", () => {
  it("parseTime and parseAgo refuse instants the API cannot write, naming the flag", () => {
    const now = new Date(Date.UTC(2024, 0, 1));
    expect(() => parseTime("30000d", "since", now)).toThrow(/--since: .*1970/);
    expect(() => parseTime("1960-01-01", "begin", now)).toThrow(/--begin: .*1970/);
    expect(parseTime("1970-01-01", "begin", now).toISOString()).toBe("1970-01-01T00:00:00.000Z");
  });

  it("parseParams keeps __proto__ and constructor as plain keys", () => {
    const params = parseParams(["__proto__=x", "constructor=y"])!;
    expect(Object.keys(params)).toEqual(["__proto__", "constructor"]);
    expect(params["__proto__"]).toBe("x");
  });
});
