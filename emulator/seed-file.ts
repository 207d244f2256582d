import { constants } from "node:fs";
import { open, stat } from "node:fs/promises";
import { describeZodError } from "./admin";
import { SeedSchema, type Seed } from "./schemas";

/** A seed file that cannot be read, is not JSON, or is not a seed; the message names the file. */
export class SeedFileError extends Error {
  override name = "SeedFileError";
}

/** The largest seed file read: a seed of 100,000 tasks is about 30 MB. */
export const MAX_SEED_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The file's text, from a regular file of at most `maxBytes` only: a FIFO would block the read (and
 * Ctrl-C) until something writes to it, and a device such as /dev/zero never ends. The type is
 * checked before opening, and again on the opened file (non-blocking, so a swapped-in FIFO cannot hang it).
 */
async function readRegularFile(path: string, maxBytes: number): Promise<string> {
  const before = await stat(path);
  if (!before.isFile()) throw new Error("not a regular file (a FIFO, a device or a directory cannot be a seed)");
  if (before.size > maxBytes) throw new Error(`${before.size} bytes is larger than the ${maxBytes}-byte limit`);
  const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw new Error("not a regular file (a FIFO, a device or a directory cannot be a seed)");
    const buffer = Buffer.alloc(Math.min(opened.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buffer, length, buffer.length - length, length);
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length > maxBytes) throw new Error(`it is larger than the ${maxBytes}-byte limit`);
      if (length === buffer.length) break; // grew while read: the size checked is what is read
    }
    return buffer.toString("utf8", 0, length);
  } finally {
    await handle.close();
  }
}

/** The seed file as SeedSchema accepts it. */
export async function readSeedFile(path: string, maxBytes: number = MAX_SEED_FILE_BYTES): Promise<Seed> {
  let text: string;
  try {
    text = await readRegularFile(path, maxBytes);
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
