import { z } from "zod";
import { ENGINES } from "../sdk/engines";
import { SAFE_ID } from "../sdk/validation";

/**
 * The emulator's own wire formats: the seed file, the admin API's inputs and outputs, and the
 * request log. Each type is inferred from its schema; the server parses with these at its edge and
 * the admin client parses its answers with them.
 */

// The same character set the sdk accepts for ids: nothing that could change which path a request goes to.
export const IdSchema = z.string().regex(SAFE_ID, { error: 'use 1 to 128 of the characters A-Z a-z 0-9 "-" "_"' });

/** An ISO 8601 time with a zone (`Z` or an offset), e.g. `2024-05-01T10:00:00.000Z`. */
const IsoTimeSchema = z.iso.datetime({ offset: true, error: 'expected an ISO 8601 time such as "2024-05-01T10:00:00.000Z"' });

/** A status the task takes once `after_ms` milliseconds have passed since its creation. */
export const TransitionSchema = z
  .object({
    after_ms: z.number().int().nonnegative().max(10 * 365 * 24 * 3600 * 1000),
    status: z.string().min(1).max(64),
  })
  .strict();
export type Transition = z.infer<typeof TransitionSchema>;

/** A task to create: in a seed file, or through `POST /_emulator/instances/{instance_id}/tasks`. */
export const TaskInputSchema = z
  .object({
    /** Defaults to an id in the service's own shape (32 hex characters). */
    id: IdSchema.optional(),
    name: z.string().min(1).max(128),
    /** The status before any transition applies. Any string is kept, as the real API may add statuses. */
    status: z.string().min(1).max(64).default("CREATED"),
    /** An object is serialized to the JSON string the API carries; a string is kept as it is. */
    params: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
    user_name: z.string().max(128).optional(),
    user_id: z.string().max(128).optional(),
    /** Defaults to now by the emulator's clock. */
    created_at: IsoTimeSchema.optional(),
    /** Defaults to `created_at`, or to the time of the last transition applied. */
    updated_at: IsoTimeSchema.optional(),
    transitions: z.array(TransitionSchema).max(100).optional(),
  })
  .strict();
/** What a caller writes (fields with defaults may be left out). */
export type TaskInput = z.input<typeof TaskInputSchema>;
export type ParsedTaskInput = z.output<typeof TaskInputSchema>;

/** A DMS engine: the task API is the same for all three, but RabbitMQ instances have no progress route. */
export const EngineSchema = z.enum(ENGINES);

export const SeedInstanceSchema = z
  .object({
    instance_id: IdSchema,
    /** Defaults to the emulator's project. */
    project_id: IdSchema.optional(),
    /** Defaults to rocketmq. */
    engine: EngineSchema.optional(),
    tasks: z.array(TaskInputSchema).default([]),
  })
  .strict();
export type SeedInstance = z.input<typeof SeedInstanceSchema>;

/** A seed file: the instances the emulator starts with (and returns to on reset). The first is the default one. */
export const SeedSchema = z
  .object({
    instances: z.array(SeedInstanceSchema).min(1),
  })
  .strict();
export type Seed = z.input<typeof SeedSchema>;
export type ParsedSeed = z.output<typeof SeedSchema>;

/** `POST /_emulator/instances` */
export const CreateInstanceInputSchema = z
  .object({
    instance_id: IdSchema.optional(),
    project_id: IdSchema.optional(),
    /** Defaults to rocketmq. */
    engine: EngineSchema.optional(),
  })
  .strict();
export type CreateInstanceInput = z.input<typeof CreateInstanceInputSchema>;

export const InstanceRefSchema = z.object({ instance_id: z.string(), project_id: z.string(), engine: EngineSchema });
export type InstanceRef = z.infer<typeof InstanceRefSchema>;

export const FAULT_MODES = ["throttle", "error500", "error503", "reset", "delay", "malformed", "ignore-start", "wrong-count", "random"] as const;
export type FaultMode = (typeof FAULT_MODES)[number];

/** `PUT /_emulator/faults`: one active fault at a time; a new one replaces the old. */
export const FaultSpecSchema = z
  .object({
    mode: z.enum(FAULT_MODES),
    /** How many API requests the fault affects; unlimited until cleared when absent. */
    count: z.number().int().positive().optional(),
    /** For `delay`: how long to wait before answering (default 1000). */
    delay_ms: z.number().int().nonnegative().max(600_000).optional(),
    /** For `throttle`: the Retry-After header, in seconds (default 1). */
    retry_after_s: z.number().int().nonnegative().max(86_400).optional(),
    /**
     * For `throttle` (and the throttles `random` draws): send the 429 with no Retry-After header at
     * all, as a gateway may (default false). Not together with `retry_after_s`.
     */
    omit_retry_after: z.boolean().optional(),
    /** For `random`: the chance that a request fails (default 0.5). */
    probability: z.number().min(0).max(1).optional(),
    /** For `random`: the PRNG seed, so a run can be reproduced (default 1). */
    seed: z.number().int().optional(),
  })
  .strict()
  .refine((spec) => !(spec.omit_retry_after === true && spec.retry_after_s !== undefined), {
    path: ["omit_retry_after"],
    error: "give retry_after_s or omit_retry_after: true, not both",
  });
export type FaultSpec = z.input<typeof FaultSpecSchema>;

/** The active fault as the admin API reports it. */
export const ActiveFaultSchema = z.object({
  mode: z.enum(FAULT_MODES),
  /** Requests it will still affect; null when unlimited. */
  remaining: z.number().int().nullable(),
  delay_ms: z.number().int(),
  /** The Retry-After a throttle sends; not sent at all when `omit_retry_after` is true. */
  retry_after_s: z.number().int(),
  omit_retry_after: z.boolean(),
  probability: z.number(),
  seed: z.number().int(),
});
export type ActiveFault = z.infer<typeof ActiveFaultSchema>;

/**
 * A query as logged: an object of strings, kept as it is. z.record would rebuild it and drop a
 * `__proto__` key, and a query may have any key.
 */
const LoggedQuerySchema = z.custom<Record<string, string>>(
  (value) => value !== null && typeof value === "object" && !Array.isArray(value) && Object.values(value).every((v) => typeof v === "string"),
  { error: "expected an object of strings" },
);

/** One API request as the emulator saw it. Never holds a secret key, a token or the Authorization header. */
export const RequestLogEntrySchema = z.object({
  method: z.string(),
  /** The path as received, without the query string. */
  path: z.string(),
  /** The decoded query; a repeated key keeps its first value. */
  query: LoggedQuerySchema,
  /** The X-Sdk-Date header as it was sent, or null. */
  sdkDate: z.string().nullable(),
  /** The access key named in the Authorization header, or null when there was none to read. */
  accessKey: z.string().nullable(),
  /** Whether the signature matched the request for that access key's secret (whatever else failed). */
  signatureValid: z.boolean(),
  /** The HTTP status answered; null when no answer was sent (a `reset` fault, or the client went away). */
  status: z.number().int().nullable(),
  /** The fault mode that shaped the answer, or null. For `random`, the mode it drew. */
  fault: z.enum(FAULT_MODES).nullable(),
  /** When the request arrived, ms since the epoch by the emulator's clock. */
  at: z.number(),
  /**
   * Query parameters the service ignored, when there were any: `offset`, which some official SDK
   * releases send instead of `start` (see emulator/README.md).
   */
  ignoredParameters: z.array(z.string()).optional(),
});
export type RequestLogEntry = z.infer<typeof RequestLogEntrySchema>;
