import { readFile } from "node:fs/promises";
import { describeZodError } from "./admin";
import { SeedSchema, type Seed } from "./schemas";

/** A seed file that cannot be read, is not JSON, or is not a seed; the message names the file. */
export class SeedFileError extends Error {
  override name = "SeedFileError";
}

/** The seed file as SeedSchema accepts it. */
export async function readSeedFile(path: string): Promise<Seed> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new SeedFileError(`cannot read the seed file ${path}: ${(error as Error).message}`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SeedFileError(`the seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = SeedSchema.safeParse(value);
  if (!parsed.success) throw new SeedFileError(`the seed file ${path} is not a valid seed: ${describeZodError(parsed.error)}`);
  return value as Seed;
}
