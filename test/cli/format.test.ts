import { BackgroundTaskFailedError, BackgroundTaskSchema, FAILED_TASK_STATUSES, HuaweiCloudApiError, KNOWN_TASK_STATUSES, ValidationError, outcomeOf, type BackgroundTask } from "../../sdk";
import {
  compactJson,
  errorLine,
  formatDuration,
  formatElapsed,
  formatTime,
  jsonText,
  oneLine,
  paint,
  pollLine,
  progressReport,
  renderTable,
  shouldUseColor,
  statusStyle,
  stripAnsi,
  summarizeParams,
  taskDetails,
  taskTable,
  waitTarget,
} from "../../cli/format";

const ESC = "\x1b[";

function task(over: Partial<Record<string, string>> & { params?: string }): BackgroundTask {
  return BackgroundTaskSchema.parse({
    id: "t1",
    name: "bindInstancePublicIp",
    status: "SUCCESS",
    created_at: "2020-06-23T03:00:03.471Z",
    updated_at: "2020-06-23T03:00:13.002Z",
    user_name: "dms_admin",
    user_id: "u1",
    ...over,
  });
}

const bind = task({ params: JSON.stringify({ public_ip_id: "06a1c0f1-aaaa-bbbb-cccc-1234567890ab", public_ip_address: "203.0.113.10", enable_public_ip: true }) });
const restart = task({ id: "t2", name: "restartInstance", status: "FAILED", created_at: "2020-06-24T09:15:00.000Z" });
const running = task({ id: "t3", name: "bindInstancePublicIp", status: "EXECUTING", created_at: "2020-06-22T00:00:00.000Z", params: '{"public_ip_address":"203.0.113.99"}' });

describe("colour", () => {
  it("is on for a terminal only, and never with NO_COLOR or TERM=dumb", () => {
    expect(shouldUseColor(true, {})).toBe(true);
    expect(shouldUseColor(false, {})).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: "1" })).toBe(false);
    expect(shouldUseColor(true, { NO_COLOR: "" })).toBe(true);
    expect(shouldUseColor(true, { TERM: "dumb" })).toBe(false);
  });

  it("paint adds codes only when asked, and stripAnsi removes them", () => {
    expect(paint("ok", "green", false)).toBe("ok");
    expect(paint("ok", "green", true)).toBe(`${ESC}32mok${ESC}39m`);
    expect(stripAnsi(paint("ok", "green", true))).toBe("ok");
  });
});

describe("renderTable", () => {
  it("pads columns to the widest cell, two spaces apart, no trailing blanks", () => {
    const out = renderTable([{ header: "A" }, { header: "NUM", align: "right" }, { header: "C" }], [["xx", "1", "last"], ["y", "100", ""]], false);
    expect(out.split("\n")).toEqual(["A   NUM  C", "xx    1  last", "y   100"]);
  });

  it("keeps the alignment when colour is on (widths count the visible text)", () => {
    const rows = [[{ text: "SUCCESS", style: "green" as const }, "a"], [{ text: "FAILED", style: "red" as const }, "b"]];
    const plain = renderTable([{ header: "STATUS" }, { header: "X" }], rows, false);
    const coloured = renderTable([{ header: "STATUS" }, { header: "X" }], rows, true);
    expect(coloured).toContain(ESC);
    expect(stripAnsi(coloured)).toBe(plain);
  });
});

describe("task table", () => {
  it("shows created (UTC), name, status, key params and id, with no ANSI codes when colour is off", () => {
    const out = taskTable([restart, bind], false);
    expect(out).not.toContain("\x1b");
    const lines = out.split("\n");
    expect(lines[0]).toMatch(/^CREATED \(UTC\)\s+NAME\s+STATUS\s+PARAMS\s+ID$/);
    expect(lines[1]).toMatch(/^2020-06-24 09:15:00\s+restartInstance\s+FAILED\s+-\s+t2$/);
    expect(lines[2]).toMatch(/^2020-06-23 03:00:03\s+bindInstancePublicIp\s+SUCCESS\s+public_ip_address=203\.0\.113\.10, enable_public_ip=true, …\s+t1$/);
    // Every row's columns start at the same offsets.
    const at = (line: string, word: string) => line.indexOf(word);
    expect(at(lines[1], "FAILED")).toBe(at(lines[0], "STATUS"));
    expect(at(lines[2], "SUCCESS")).toBe(at(lines[0], "STATUS"));
  });

  it("colours statuses on a terminal", () => {
    expect(taskTable([bind], true)).toContain(`${ESC}32mSUCCESS`);
    expect(taskTable([restart], true)).toContain(`${ESC}31mFAILED`);
  });

  it("colours a status as the sdk's waiter judges it: red exactly for FAILED_TASK_STATUSES", () => {
    for (const status of KNOWN_TASK_STATUSES) {
      const expected = { success: "green", failed: "red", pending: "yellow" }[outcomeOf(status)];
      expect(statusStyle(status)).toBe(expected);
    }
    for (const status of FAILED_TASK_STATUSES) expect(statusStyle(status)).toBe("red");
    expect(statusStyle("FROZEN")).toBeUndefined();
  });

  it("summarizes params key-first, ids last, within the width", () => {
    expect(summarizeParams(bind, 200)).toBe("public_ip_address=203.0.113.10, enable_public_ip=true, public_ip_id=06a1c0f1-aaaa-bbbb-cccc-1234567890ab");
    expect(summarizeParams(bind, 20)).toBe("public_ip_address=2…");
    for (let max = 1; max < 120; max++) expect([...summarizeParams(bind, max)].length).toBeLessThanOrEqual(max);
    expect(summarizeParams(restart)).toBe("-");
    expect(summarizeParams({ params: null, rawParams: "not json" })).toBe("not json");
  });

  it("details list every field", () => {
    const out = taskDetails(bind, false);
    expect(out).toContain("id:      t1");
    expect(out).toContain("status:  SUCCESS");
    expect(out).toContain("public_ip_id=06a1c0f1-aaaa-bbbb-cccc-1234567890ab");
    expect(out).toContain("created: 2020-06-23 03:00:03 UTC");
    expect(out).toContain("updated: 2020-06-23 03:00:13 UTC");
    expect(out).toContain("user:    dms_admin (u1)");
  });
});

describe("small formats", () => {
  it("formatTime writes UTC to the second, and passes odd input through", () => {
    expect(formatTime("2020-06-23T03:00:03.471Z")).toBe("2020-06-23 03:00:03");
    expect(formatTime("garbage")).toBe("garbage");
    expect(formatTime(null)).toBe("-");
  });

  it("formatDuration writes whole units", () => {
    expect([100, 5_000, 1_800_000, 7_200_000, 86_400_000, 1_500, 90_000].map(formatDuration)).toEqual(["100ms", "5s", "30m", "2h", "1d", "1.5s", "90s"]);
  });

  it("formatElapsed", () => {
    expect([950, 4_200, 65_000, 7_380_000].map(formatElapsed)).toEqual(["950ms", "4.2s", "1m05s", "2h03m"]);
  });

  it("progress report: bar, remain_time and a steps table", () => {
    const out = progressReport(
      { progressPercentage: 50, remainTime: 12, steps: [{ name: "bind eip", status: "COMPLETED", startTime: "2020-06-23T03:00:03.471Z", endTime: null }] },
      false,
    );
    expect(out).toContain("[##########----------] 50%  remain_time: 12");
    expect(out).toMatch(/bind eip\s+COMPLETED\s+2020-06-23 03:00:03\s+-/);
  });

  it("wait lines", () => {
    expect(waitTarget({ name: "bindInstancePublicIp", paramsMatch: { public_ip_address: "203.0.113.10" }, createdAfter: new Date("2024-01-01T00:00:00Z") })).toBe(
      "the newest bindInstancePublicIp task with public_ip_address=203.0.113.10 created at or after 2024-01-01 00:00:00 UTC",
    );
    expect(waitTarget({ taskId: "abc" })).toBe("task abc");
    expect(pollLine({ polls: 3, elapsedMs: 4_200, task: running }, false)).toBe("[  4.2s] EXECUTING task t3 (bindInstancePublicIp), 3 polls");
    expect(pollLine({ polls: 1, elapsedMs: 10, task: undefined }, false)).toBe("[  10ms] no matching task yet, 1 poll");
  });
});

describe("errorLine", () => {
  it("names the class, the API code, the HTTP status and the request id on one line", () => {
    const error = new HuaweiCloudApiError({ status: 401, errorCode: "APIGW.0301", errorMsg: "verify aksk signature fail,\ncanonicalRequest:GET|/v2/", requestId: "abc", method: "GET", path: "/v2/p/instances/i/tasks" });
    expect(errorLine(error)).toBe("error: HuaweiCloudApiError APIGW.0301 (HTTP 401, request id abc): verify aksk signature fail, canonicalRequest:GET|/v2/ [GET /v2/p/instances/i/tasks]");
  });

  it("gives other errors their code, and drops control characters", () => {
    expect(errorLine(new ValidationError("instanceId", "is empty", "Pass it."))).toBe("error: ValidationError ERR_VALIDATION: instanceId: is empty. Pass it.");
    expect(errorLine(new BackgroundTaskFailedError(restart))).toMatch(/^error: BackgroundTaskFailedError ERR_TASK_FAILED: background task t2 \(restartInstance\) ended FAILED/);
    expect(errorLine(new Error("bad \x1b[31mred"))).toBe("error: Error: bad [31mred");
  });
});

describe("compactJson", () => {
  it("keeps flat objects on one line and stays valid JSON", () => {
    const value = { recentTasks: [{ time: "2024-01-01T00:00:00.000Z", name: "a,b", status: "SUCCESS" }, { time: "t", name: "n", status: "s" }], boundIp: "203.0.113.10", nested: { deep: { x: [1, 2] } } };
    const text = compactJson(value);
    expect(JSON.parse(text)).toEqual(value);
    expect(text).toContain('    { "time": "2024-01-01T00:00:00.000Z", "name": "a,b", "status": "SUCCESS" },');
  });
});

describe("server text made printable", () => {
  it("oneLine drops every C0 and C1 control character (U+009B included) and folds line breaks", () => {
    expect(oneLine("a\u001b]0;t\u0007b\u009b2Jc\r\nd\u0085e\tf\u0000\u007f")).toBe("a]0;tb2Jc d e f");
    for (let c = 0; c <= 0x9f; c++) if (c < 0x20 || c >= 0x7f) expect(oneLine(`x${String.fromCharCode(c)}y`)).toMatch(/^x ?y$/);
  });

  it("pollLine shows a hostile status and name on one line, without control characters", () => {
    const line = pollLine({ polls: 2, elapsedMs: 1000, task: { id: "t1", name: "n\u009bK", status: "EXECUTING\r\nSUCCESS" } }, false);
    expect(line).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    expect(line).toContain("EXECUTING SUCCESS");
  });

  it("jsonText escapes DEL and C1 characters, and stays the same JSON", () => {
    const value = { name: "a\u009bb\u007fc\u001b" };
    const text = jsonText(value);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(text)).toEqual(value);
  });
});
