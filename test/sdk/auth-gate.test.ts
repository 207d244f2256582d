import { HuaweiCloudApiError } from "../../sdk";
import { AdmitDeadlinePassed, CONFIRMED_FOR_MS, MAX_IN_FLIGHT, MAX_REFUSALS_KEPT, LOCKOUT_FAILURES, admit, authGateCount, authGateKey, resetAuthGates } from "../../sdk/http/auth-gate";

const ctx = { method: "GET", path: "/v2/p/instances/i/tasks" };
const refusal = () => new HuaweiCloudApiError({ ...ctx, status: 401, errorCode: "APIGW.0301", errorMsg: "verify aksk signature fail", requestId: "r1" });
const lockout = () => new HuaweiCloudApiError({ ...ctx, status: 401, errorCode: "APIGW.0301", errorMsg: "AK access failed to reach the limit,forbidden", requestId: "r2" });
let n = 0;
const key = () => authGateKey(`http://127.0.0.1:${++n}`, { accessKey: "AK", secretKey: "SK" });

afterEach(() => resetAuthGates());

describe("the authentication gate", () => {
  it("lets one request of unconfirmed credentials out; the others wait for its answer, then go together", async () => {
    const k = key();
    const first = await admit(k, ctx, undefined);
    let admitted = 0;
    const others = Array.from({ length: MAX_IN_FLIGHT }, () => admit(k, ctx, undefined).then((t) => (admitted++, t)));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(admitted).toBe(0);
    first.confirmed();
    const tickets = await Promise.all(others);
    expect(admitted).toBe(MAX_IN_FLIGHT);
    for (const t of tickets) t.confirmed();
  });

  it("after a refusal, every waiting and later request fails with it, not sent (attempts 0)", async () => {
    const k = key();
    const first = await admit(k, ctx, undefined);
    const waiting = admit(k, ctx, undefined);
    first.refused(refusal());
    await expect(waiting).rejects.toMatchObject({ status: 401, errorCode: "APIGW.0301", attempts: 0, requestId: "r1" });
    await expect(admit(k, ctx, undefined)).rejects.toThrow(/not sent/);
  });

  it("an inconclusive answer passes the turn to the next request, alone", async () => {
    const k = key();
    const first = await admit(k, ctx, undefined);
    const second = admit(k, ctx, undefined);
    const third = admit(k, ctx, undefined);
    first.inconclusive();
    const t2 = await second;
    let thirdIn = false;
    void third.then(() => (thirdIn = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(thirdIn).toBe(false);
    t2.confirmed();
    (await third).confirmed();
  });

  it("other credentials for the same access key are judged apart", async () => {
    const origin = "http://127.0.0.1:9";
    const wrong = authGateKey(origin, { accessKey: "AK", secretKey: "old" });
    const right = authGateKey(origin, { accessKey: "AK", secretKey: "new" });
    expect(wrong).not.toContain("old");
    (await admit(wrong, ctx, undefined)).refused(refusal());
    await expect(admit(right, ctx, undefined)).resolves.toBeDefined();
  });

  it("a confirmation lapses after CONFIRMED_FOR_MS: the next request goes alone again", async () => {
    const k = key();
    (await admit(k, ctx, undefined)).confirmed();
    (await admit(k, ctx, undefined)).confirmed(); // within the window: no wait
    await new Promise((resolve) => setTimeout(resolve, CONFIRMED_FOR_MS + 20));
    const probe = await admit(k, ctx, undefined);
    let waiterIn = false;
    void admit(k, ctx, undefined).then((t) => ((waiterIn = true), t.confirmed()));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(waiterIn).toBe(false);
    probe.confirmed();
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(waiterIn).toBe(true);
  });

  it("a state whose waiter was just woken is not swept away by another key's arrival: still one probe at a time", async () => {
    const k = key();
    const probe = await admit(k, ctx, undefined);
    const woken = admit(k, ctx, undefined);
    probe.inconclusive(); // wakes the waiter, which has not resumed yet...
    void admit(key(), ctx, undefined).then((t) => t.inconclusive()); // ...when a new key sweeps the map
    const second = await woken;
    let otherIn = false;
    const other = admit(k, ctx, undefined).then((t) => ((otherIn = true), t));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otherIn).toBe(false);
    second.confirmed();
    (await other).confirmed();
  });

  it("a waiter whose deadline passes gives up with AdmitDeadlinePassed; the others go on as before", async () => {
    const k = key();
    const probe = await admit(k, ctx, undefined);
    const started = performance.now();
    await expect(admit(k, ctx, undefined, performance.now() + 50)).rejects.toBeInstanceOf(AdmitDeadlinePassed);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await expect(admit(k, ctx, undefined, performance.now() - 1)).rejects.toBeInstanceOf(AdmitDeadlinePassed); // already past: no wait at all
    const other = admit(k, ctx, undefined, performance.now() + 60_000);
    probe.confirmed();
    (await other).confirmed();
    (await admit(k, ctx, undefined, performance.now() - 1)).confirmed(); // past its deadline, but admitted at once: no wait
  });

  it("a waiter's abort rejects it with AbortError", async () => {
    const k = key();
    await admit(k, ctx, undefined);
    const controller = new AbortController();
    const waiting = admit(k, ctx, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "ERR_ABORTED" });
  });

  it(`even confirmed, at most MAX_IN_FLIGHT (${MAX_IN_FLIGHT}, below the ${LOCKOUT_FAILURES} failures that lock a key) are out; a refusal refuses the ones waiting`, async () => {
    expect(MAX_IN_FLIGHT).toBeLessThan(LOCKOUT_FAILURES);
    const k = key();
    (await admit(k, ctx, undefined)).confirmed();
    const out = await Promise.all(Array.from({ length: MAX_IN_FLIGHT }, () => admit(k, ctx, undefined)));
    let extraIn = false;
    const extra = admit(k, ctx, undefined).then((t) => ((extraIn = true), t));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(extraIn).toBe(false);
    out[0].confirmed(); // a slot frees: the next one goes
    (await extra).confirmed();
    const more = await admit(k, ctx, undefined); // the slot the extra freed
    const waiting = admit(k, ctx, undefined);
    out[1].refused(refusal()); // the secret was rotated: the in-flight ones cannot be recalled, the waiting one is refused
    await expect(waiting).rejects.toMatchObject({ status: 401, attempts: 0 });
    for (const t of [...out.slice(2), more]) t.refused(refusal());
  });

  it("a refusal holds for as long as the process runs: trying again later would count towards the lockout", async () => {
    resetAuthGates({ lockoutPeriodMs: 50 });
    const k = key();
    (await admit(k, ctx, undefined)).refused(refusal());
    await new Promise((resolve) => setTimeout(resolve, 80));
    await expect(admit(k, ctx, undefined)).rejects.toMatchObject({ status: 401, attempts: 0, requestId: "r1" });
  });

  it("the gateway's lockout answer holds for the lockout period, then one request may try again", async () => {
    resetAuthGates({ lockoutPeriodMs: 100 });
    const k = key();
    (await admit(k, ctx, undefined)).refused(lockout());
    await expect(admit(k, ctx, undefined)).rejects.toMatchObject({ status: 401, attempts: 0 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    const probe = await admit(k, ctx, undefined);
    let otherIn = false;
    const other = admit(k, ctx, undefined).then((t) => ((otherIn = true), t));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(otherIn).toBe(false); // first contact again: one alone
    probe.refused(refusal()); // the key is unlocked but the secret is wrong: refused for good
    await expect(other).rejects.toMatchObject({ status: 401, attempts: 0 });
    await new Promise((resolve) => setTimeout(resolve, 120));
    await expect(admit(k, ctx, undefined)).rejects.toMatchObject({ status: 401, attempts: 0, requestId: "r1" });
  });

  it("forgets credentials no longer in use (a refreshed token each time), keeps those in use and those refused", async () => {
    resetAuthGates({ lockoutPeriodMs: 500 });
    const origin = "http://127.0.0.1:8";
    const held = await admit(authGateKey(origin, { accessKey: "AK", secretKey: "SK", securityToken: "in-use" }), ctx, undefined);
    const refused = authGateKey(origin, { accessKey: "AK", secretKey: "SK", securityToken: "refused" });
    (await admit(refused, ctx, undefined)).refused(refusal());
    const locked = authGateKey(origin, { accessKey: "AK", secretKey: "SK", securityToken: "locked" });
    (await admit(locked, ctx, undefined)).refused(lockout());
    for (let i = 0; i < 50; i++) (await admit(authGateKey(origin, { accessKey: "AK", secretKey: "SK", securityToken: `token-${i}` }), ctx, undefined)).inconclusive();
    // Answered inconclusively: each is as good as new, so each new key sweeps the previous away.
    expect(authGateCount()).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 520));
    (await admit(authGateKey(origin, { accessKey: "AK", secretKey: "SK", securityToken: "later" }), ctx, undefined)).inconclusive();
    expect(authGateCount()).toBe(3); // the one in flight, the refused one and the newest; the lapsed lockout is gone
    await expect(admit(refused, ctx, undefined)).rejects.toMatchObject({ status: 401 });
    held.confirmed();
  });

  it(`keeps at most MAX_REFUSALS_KEPT (${MAX_REFUSALS_KEPT}) refusals, forgetting the oldest first`, async () => {
    const origin = "http://127.0.0.1:7";
    const keyOf = (i: number) => authGateKey(origin, { accessKey: "AK", secretKey: "SK", securityToken: `refused-${i}` });
    for (let i = 0; i < MAX_REFUSALS_KEPT + 10; i++) (await admit(keyOf(i), ctx, undefined)).refused(refusal());
    expect(authGateCount()).toBeLessThanOrEqual(MAX_REFUSALS_KEPT + 1);
    await expect(admit(keyOf(MAX_REFUSALS_KEPT + 9), ctx, undefined)).rejects.toMatchObject({ status: 401, attempts: 0 });
    await expect(admit(keyOf(MAX_REFUSALS_KEPT), ctx, undefined)).rejects.toMatchObject({ status: 401, attempts: 0 });
    // The oldest was forgotten: it may try once more.
    (await admit(keyOf(0), ctx, undefined)).inconclusive();
  });
});
