import { EmulatorAdmin, startEmulator, type RunningEmulator } from "../../emulator";
import { canonicalRequest, decodedPath, EMPTY_BODY_SHA256, formatSdkDate, queryOf, signRequest } from "../../sdk/signing";
import { call, manualClock, send, tasksPath, type CallOptions } from "./helpers";

const clock = manualClock();
const temporary = { accessKey: "TEMPORARYACCESSKEY01", secretKey: "temporary-secret", securityToken: "temporary-token-value" };
const other = { accessKey: "OTHERACCESSKEY000001", secretKey: "other-secret" };
let emulator: RunningEmulator;

const now = () => new Date(clock.now());
const get = (path: string, options: CallOptions = {}) => call(emulator, path, { date: now(), ...options });

function without(name: string) {
  return (headers: Record<string, string>) => Object.fromEntries(Object.entries(headers).filter(([k]) => k.toLowerCase() !== name.toLowerCase()));
}

beforeAll(async () => {
  emulator = await startEmulator({
    clock: clock.now,
    lockoutMs: 60_000,
    credentials: [{ accessKey: "MAINACCESSKEY0000001", secretKey: "main-secret" }, temporary, other],
  });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.state.reset());

function expectAuthError(res: { status: number; json: any }, message: string | RegExp) {
  expect(res.status).toBe(401);
  expect(res.json.error_code).toBe("APIGW.0301");
  if (typeof message === "string") expect(res.json.error_msg).toBe(message);
  else expect(res.json.error_msg).toMatch(message);
}

describe("the Authorization header", () => {
  test("a correctly signed request passes", async () => {
    expect((await get(tasksPath(emulator))).status).toBe(200);
  });

  test("missing is 401 APIGW.0301", async () => {
    const res = await send(emulator.url + tasksPath(emulator), "GET", {});
    expectAuthError(res, /Authorization header missing or malformed/);
  });

  test.each(["Basic dXNlcjpwYXNz", "SDK-HMAC-SHA256 Access=AK", "SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=not-hex", "AWS4-HMAC-SHA256 Credential=x"])(
    "malformed (%s) is 401 APIGW.0301",
    async (authorization) => {
      const res = await get(tasksPath(emulator), { afterSigning: (h) => ({ ...h, Authorization: authorization }) });
      expectAuthError(res, /Authorization header missing or malformed/);
    },
  );

  test("an unknown access key is 401 'Get secretKey failed ... ak not exist'", async () => {
    const res = await get(tasksPath(emulator), { credentials: { accessKey: "NOSUCHACCESSKEY00001", secretKey: "x" } });
    expectAuthError(res, /^Get secretKey failed.*ak not exist$/);
    expect(res.json.error_msg).toContain("NOSUCHACCESSKEY00001");
  });
});

describe("the signature", () => {
  test("a wrong secret is 401 with the gateway's canonical request, newlines replaced by |", async () => {
    const path = tasksPath(emulator, "?limit=5&start=1");
    const res = await get(path, { credentials: { ...emulator.credentials, secretKey: "wrong" } });
    const url = new URL(emulator.url + path);
    const expected = canonicalRequest({
      method: "GET",
      path: decodedPath(url),
      query: queryOf(url.searchParams),
      headers: { host: url.host, "x-sdk-date": formatSdkDate(now()) },
      signedHeaders: ["host", "x-sdk-date"],
      payloadHash: EMPTY_BODY_SHA256,
    });
    expectAuthError(res, `verify aksk signature fail, canonicalRequest:${expected.replace(/\n/g, "|")}`);
    expect(res.json.error_msg).toContain("limit=5&start=1");
  });

  test("a query changed after signing fails", async () => {
    const url = emulator.url + tasksPath(emulator, "?limit=5");
    const signed = signRequest({ method: "GET", url }, emulator.credentials, { date: now() });
    const tampered = await send(url.replace("limit=5", "limit=6"), "GET", signed);
    expectAuthError(tampered, /^verify aksk signature fail, canonicalRequest:.*limit=6/);
  });

  test("a signed header changed after signing fails", async () => {
    const res = await get(tasksPath(emulator), {
      headers: { "X-Custom": "one" },
      afterSigning: (h) => ({ ...h, "X-Custom": "two" }),
    });
    expectAuthError(res, /x-custom:two/);
  });

  test("the body is covered by the payload hash, and X-Sdk-Content-Sha256 replaces it", async () => {
    const path = tasksPath(emulator, "/ff808082000000000000000000000000");
    const good = await get(path, { method: "DELETE", body: '{"a":1}' });
    expect(good.status).toBe(404); // signed fine; the task just does not exist
    const url = emulator.url + path;
    const signed = signRequest({ method: "DELETE", url, body: '{"a":1}' }, emulator.credentials, { date: now() });
    expectAuthError(await send(url, "DELETE", signed, '{"a":2}'), /verify aksk signature fail/);
    const unsigned = signRequest({ method: "DELETE", url, body: "x", headers: { "X-Sdk-Content-Sha256": "UNSIGNED-PAYLOAD" } }, emulator.credentials, { date: now() });
    expect((await send(url, "DELETE", unsigned, "anything else")).status).toBe(404);
  });

  test("host must be signed", async () => {
    const res = await get(tasksPath(emulator), {
      afterSigning: (h) => ({ ...h, Authorization: h.Authorization.replace("SignedHeaders=host;", "SignedHeaders=") }),
    });
    expectAuthError(res, /host header must be signed/);
  });
});

describe("X-Sdk-Date and clock skew", () => {
  test("missing X-Sdk-Date is 401", async () => {
    expectAuthError(await get(tasksPath(emulator), { afterSigning: without("X-Sdk-Date") }), /X-Sdk-Date/);
  });

  test.each(["2024-05-01T10:00:00Z", "20240501T100000", "20241301T100000Z", ""])("malformed X-Sdk-Date %j is 401", async (value) => {
    expectAuthError(await get(tasksPath(emulator), { afterSigning: (h) => ({ ...h, "X-Sdk-Date": value }) }), /X-Sdk-Date/);
  });

  test("more than 15 minutes from the emulator's clock is 'signature expired', either way", async () => {
    for (const offset of [-16 * 60_000, 16 * 60_000]) {
      const signedAt = new Date(clock.now() + offset);
      const res = await get(tasksPath(emulator), { date: signedAt });
      expectAuthError(
        res,
        `calc aksk signature fail:signature expired, signature time:${formatSdkDate(signedAt)}, server time:${formatSdkDate(now())}`,
      );
    }
  });

  test("up to 15 minutes of skew is accepted, judged by the emulator's clock, not the machine's", async () => {
    expect((await get(tasksPath(emulator), { date: new Date(clock.now() - 14 * 60_000) })).status).toBe(200);
    expect((await get(tasksPath(emulator), { date: new Date(clock.now() + 14 * 60_000) })).status).toBe(200);
    // The machine's real now is years from the test clock: refused.
    expect((await get(tasksPath(emulator), { date: new Date() })).status).toBe(401);
  });
});

describe("temporary credentials and X-Project-Id", () => {
  test("credentials with a security token need that token, signed", async () => {
    expect((await get(tasksPath(emulator), { credentials: temporary })).status).toBe(200);
    const { securityToken: _, ...withoutToken } = temporary;
    expectAuthError(await get(tasksPath(emulator), { credentials: withoutToken }), /security token/);
    expectAuthError(await get(tasksPath(emulator), { credentials: { ...temporary, securityToken: "another-token" } }), /security token/);
    // Present but added after signing, so not in SignedHeaders.
    const res = await get(tasksPath(emulator), { credentials: withoutToken, afterSigning: (h) => ({ ...h, "X-Security-Token": temporary.securityToken }) });
    expectAuthError(res, /security token/);
  });

  test("X-Project-Id, when sent, must match the project in the path: else 403", async () => {
    expect((await get(tasksPath(emulator), { headers: { "X-Project-Id": emulator.projectId } })).status).toBe(200);
    const res = await get(tasksPath(emulator), { headers: { "X-Project-Id": "ffffffffffffffffffffffffffffffff" } });
    expect(res.status).toBe(403);
    expect(res.json.error_code).toBe("DMS.00403001");
    expect(res.json.error_msg).toContain("X-Project-Id");
  });
});

describe("lockout after five consecutive failures", () => {
  const wrong = () => ({ accessKey: "MAINACCESSKEY0000001", secretKey: "not-the-secret" });

  test("the sixth request is refused even with a correct signature, until lockoutMs has passed", async () => {
    for (let i = 0; i < 5; i++) expectAuthError(await get(tasksPath(emulator), { credentials: wrong() }), /verify aksk signature fail/);
    const locked = await get(tasksPath(emulator));
    expectAuthError(locked, "AK access failed to reach the limit,forbidden");
    const log = emulator.state.requests();
    expect(log[log.length - 1]).toMatchObject({ signatureValid: true, status: 401, accessKey: "MAINACCESSKEY0000001" });

    // Other keys are not affected.
    expect((await get(tasksPath(emulator), { credentials: other })).status).toBe(200);

    clock.advance(59_000);
    expectAuthError(await get(tasksPath(emulator)), "AK access failed to reach the limit,forbidden");
    clock.advance(1_001);
    expect((await get(tasksPath(emulator))).status).toBe(200);
  });

  test("a success resets the count", async () => {
    for (let i = 0; i < 4; i++) await get(tasksPath(emulator), { credentials: wrong() });
    expect((await get(tasksPath(emulator))).status).toBe(200);
    for (let i = 0; i < 4; i++) await get(tasksPath(emulator), { credentials: wrong() });
    expect((await get(tasksPath(emulator))).status).toBe(200);
  });

  test("expired signatures and missing dates count too; reset clears lockouts", async () => {
    for (let i = 0; i < 3; i++) await get(tasksPath(emulator), { date: new Date(clock.now() - 3_600_000) });
    for (let i = 0; i < 2; i++) await get(tasksPath(emulator), { afterSigning: without("X-Sdk-Date") });
    expectAuthError(await get(tasksPath(emulator)), "AK access failed to reach the limit,forbidden");
    await new EmulatorAdmin(emulator.url).reset();
    expect((await get(tasksPath(emulator))).status).toBe(200);
  });
});

describe("secrets never leave the emulator", () => {
  test("no response, header or log entry contains the secret key, the token or the Authorization header", async () => {
    const canary = {
      accessKey: "CANARYACCESSKEY00001",
      secretKey: `CANARY-SECRET-${Math.random().toString(36).slice(2)}`,
      securityToken: `CANARY-TOKEN-${Math.random().toString(36).slice(2)}`,
    };
    const canaryClock = manualClock();
    const emu = await startEmulator({ clock: canaryClock.now, credentials: [canary], lockoutMs: 1000 });
    const seen: string[] = [];
    const authorizations: string[] = [];
    const date = new Date(canaryClock.now());
    try {
      const attempts: CallOptions[] = [
        {},
        { credentials: { ...canary, secretKey: "wrong" } },
        { credentials: { ...canary, securityToken: "wrong-token" } },
        { date: new Date(canaryClock.now() - 3_600_000) },
        { afterSigning: (h) => ({ ...h, Authorization: h.Authorization + "x" }) },
        { afterSigning: without("X-Sdk-Date") },
        {},
        {},
      ];
      for (const attempt of attempts) {
        const res = await call(emu, tasksPath(emu, "?limit=1"), {
          date,
          ...attempt,
          afterSigning: (h) => {
            const final = attempt.afterSigning ? attempt.afterSigning(h) : h;
            if (final.Authorization) authorizations.push(final.Authorization);
            return final;
          },
        });
        seen.push(res.text, JSON.stringify(res.headers));
      }
      const wrongSignature = seen.find((text) => text.includes("verify aksk signature fail"));
      expect(wrongSignature).toContain("x-security-token:***");
      seen.push(JSON.stringify(emu.state.requests()));
      seen.push(JSON.stringify(await new EmulatorAdmin(emu.url).requests()));
    } finally {
      await emu.close();
    }
    const everything = seen.join("\n");
    expect(everything).not.toContain(canary.secretKey);
    expect(everything).not.toContain(canary.securityToken);
    expect(authorizations.length).toBeGreaterThan(5);
    for (const authorization of authorizations) expect(everything).not.toContain(authorization);
  });
});
