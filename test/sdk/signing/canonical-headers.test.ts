import { canonicalHeaders, signedHeaderNames } from "../../../sdk/signing";

describe("signedHeaderNames", () => {
  it("lower-cases and sorts the header names", () => {
    expect(signedHeaderNames({ "X-Sdk-Date": "d", Host: "h", "content-type": "application/json", "X-Project-Id": "p" })).toEqual([
      "content-type",
      "host",
      "x-project-id",
      "x-sdk-date",
    ]);
  });

  it("sorts by code unit ('-' < digits < letters, '_' between upper and lower case)", () => {
    expect(signedHeaderNames({ xa: "", x0: "", "x-a": "", x: "", "a_b": "", a0: "" })).toEqual(["a0", "a_b", "x", "x-a", "x0", "xa"]);
  });

  it("is empty for no headers", () => {
    expect(signedHeaderNames({})).toEqual([]);
  });
});

describe("canonicalHeaders", () => {
  const headers = { "X-Sdk-Date": "20240131T080000Z", Host: "dms.cn-north-4.myhuaweicloud.com", "Content-Type": "application/json" };

  it("writes name:value\\n per header, lower-case names, in the given (signed-header) order", () => {
    expect(canonicalHeaders(headers, signedHeaderNames(headers))).toBe(
      "content-type:application/json\nhost:dms.cn-north-4.myhuaweicloud.com\nx-sdk-date:20240131T080000Z\n",
    );
  });

  it("takes values as given, without trimming", () => {
    expect(canonicalHeaders({ "X-A": " a  b " }, ["x-a"])).toBe("x-a: a  b \n");
  });

  it("is empty for no headers", () => {
    expect(canonicalHeaders({}, [])).toBe("");
  });
});
