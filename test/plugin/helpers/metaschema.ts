// Pulumi's package metaschema (vendored: test/fixtures/pulumi-package-metaschema.md) as an ajv
// validator. It is JSON Schema 2020-12; its two formats are checked with the platform's parsers.
import Ajv2020 from "ajv/dist/2020";
import metaschema from "../../fixtures/pulumi-package-metaschema.json";

export function metaschemaValidator() {
  const ajv = new Ajv2020({
    allErrors: true,
    strict: false,
    formats: {
      regex: (s: string) => {
        try {
          new RegExp(s);
          return true;
        } catch {
          return false;
        }
      },
      "uri-reference": (s: string) => URL.canParse(s, "http://base.example/"),
    },
  });
  return ajv.compile(metaschema);
}

