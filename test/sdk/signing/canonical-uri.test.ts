import { canonicalUri } from "../../../sdk/signing";

describe("canonicalUri", () => {
  it("always ends with /", () => {
    expect(canonicalUri("/v2/p1/instances/i1/tasks")).toBe("/v2/p1/instances/i1/tasks/");
  });

  it("keeps a trailing / without doubling it", () => {
    expect(canonicalUri("/v2/p1/instances/")).toBe("/v2/p1/instances/");
  });

  it("canonicalizes the root path as /", () => {
    expect(canonicalUri("/")).toBe("/");
    expect(canonicalUri("")).toBe("/");
  });

  it("leaves safe id segments as they are", () => {
    expect(canonicalUri("/v2/AbC_09-x/tasks")).toBe("/v2/AbC_09-x/tasks/");
  });

  it("encodes each segment of the decoded path exactly once", () => {
    expect(canonicalUri("/a b/ü/😀")).toBe("/a%20b/%C3%BC/%F0%9F%98%80/");
    // A literal "%" in the decoded path is encoded once (%25), and "%2F" stays three characters.
    expect(canonicalUri("/50%/x%2Fy")).toBe("/50%25/x%252Fy/");
    expect(canonicalUri("/(x)*")).toBe("/%28x%29%2A/");
  });

  it("keeps empty segments", () => {
    expect(canonicalUri("/a//b")).toBe("/a//b/");
  });
});
