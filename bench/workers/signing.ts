// Signs the same realistic list request with our signRequest and with the official AKSKSigner,
// alternating runs, and reports operations per second of each.
import { AKSKSigner } from "@huaweicloud/huaweicloud-sdk-core/auth/AKSKSigner";
import { signRequest } from "../../sdk";
import { main, payload } from "./io";

export interface SigningPayload {
  runs: number;
  runMs: number;
  warmupMs: number;
}

export interface SigningResult {
  /** Operations per second, one per run. */
  ours: number[];
  theirs: number[];
  signedHeaders: string;
}

const ENDPOINT = "https://dms.cn-north-4.myhuaweicloud.com";
const PROJECT = "0b5c9b2f7e3a4d1c8f6e2a9d4b7c1e30";
const PATH = `/v2/${PROJECT}/instances/5e8d1c3a-7b2f-4e6a-9c0d-3f1a2b4c5d6e/tasks`;
const QUERY = { start: "101", limit: "100", begin_time: "20240501000000", end_time: "20240531235959" };
// What the official HcClient sends on a list call (content type, project, user agent).
const HEADERS = { "Content-Type": "application/json", "X-Project-Id": PROJECT, "User-Agent": "huaweicloud-usdk-nodejs/3.0" };
const AK = "HPUABCDEFGHIJKLMNOPQ";
const SK = "s3cr3tK3yF0rB3nchm4rk1ngOnlyN0tR3al0000000";

type OfficialRequest = { method: string; endpoint: string; queryParams: Record<string, string>; headers: Record<string, string> };
type OfficialSign = (request: OfficialRequest, credential: { getAk(): string; getSk(): string }) => Record<string, string>;
const officialSign = AKSKSigner.sign.bind(AKSKSigner) as unknown as OfficialSign;
const officialCredential = { getAk: () => AK, getSk: () => SK };
const ourCredentials = { accessKey: AK, secretKey: SK };

// Ours is given the URL as a string (so it parses it, query included); the official signer gets
// the query already split into queryParams, as its HcClient hands it over.
const ourUrl = `${ENDPOINT}${PATH}?${new URLSearchParams(QUERY).toString()}`;
const officialRequest: OfficialRequest = { method: "GET", endpoint: ENDPOINT + PATH, queryParams: QUERY, headers: HEADERS };

const signOurs = () => signRequest({ method: "GET", url: ourUrl, headers: HEADERS }, ourCredentials).Authorization;
const signTheirs = () => officialSign(officialRequest, officialCredential).Authorization;

/** Both signers must produce the same Authorization for the same request and time, or the comparison is void. */
function checkSameSignature(): string {
  const date = new Date("2024-05-17T09:30:00Z");
  const ours = signRequest({ method: "GET", url: ourUrl, headers: HEADERS }, ourCredentials, { date }).Authorization;
  const theirs = officialSign({ ...officialRequest, headers: { ...HEADERS, "X-Sdk-Date": "20240517T093000Z" } }, officialCredential).Authorization;
  if (ours !== theirs) throw new Error(`the two signers disagree on the benchmark request:\n ours:   ${ours}\n theirs: ${theirs}`);
  return /SignedHeaders=([^,]+)/.exec(ours)?.[1] ?? "";
}

let sink = 0;

/**
 * Calls `sign` in batches for about `ms` milliseconds of this process's CPU time; returns operations
 * per CPU second. CPU time, not wall time: on a shared machine a process descheduled for a while
 * would otherwise be charged for the other processes' work.
 */
function measure(sign: () => string, ms: number): number {
  const batch = 200;
  const cpuMs = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const start = cpuMs();
  let ops = 0;
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < batch; i++) sink += sign().length;
    ops += batch;
    now = cpuMs();
  }
  return ops / ((now - start) / 1000);
}

main(async (): Promise<SigningResult> => {
  const { runs, runMs, warmupMs } = payload<SigningPayload>();
  const signedHeaders = checkSameSignature();
  measure(signOurs, warmupMs);
  measure(signTheirs, warmupMs);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let run = 0; run < runs; run++) {
    // Alternate which goes first, so neither always runs right after the other's garbage.
    if (run % 2 === 0) {
      ours.push(measure(signOurs, runMs));
      theirs.push(measure(signTheirs, runMs));
    } else {
      theirs.push(measure(signTheirs, runMs));
      ours.push(measure(signOurs, runMs));
    }
  }
  if (sink === 0) throw new Error("nothing was signed");
  return { ours, theirs, signedHeaders };
});
