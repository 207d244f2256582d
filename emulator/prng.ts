/**
 * A small seeded pseudo-random generator (mulberry32). The emulator uses it wherever randomness
 * must be reproducible: generated task histories and the `random` fault mode.
 */
export type Prng = () => number;

/** A generator of floats in [0, 1), the same sequence for the same seed. */
export function seededPrng(seed: number): Prng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [min, max]. */
export function randomInt(prng: Prng, min: number, max: number): number {
  return min + Math.floor(prng() * (max - min + 1));
}

/** `length` lower-case hex characters. */
export function randomHex(prng: Prng, length: number): string {
  let out = "";
  while (out.length < length) out += Math.floor(prng() * 0x10000).toString(16).padStart(4, "0");
  return out.slice(0, length);
}

/** A version-4-shaped UUID drawn from the generator (not from the OS: it must be reproducible). */
export function randomUuid(prng: Prng): string {
  const h = randomHex(prng, 32);
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function pick<T>(prng: Prng, items: readonly T[]): T {
  return items[Math.floor(prng() * items.length)];
}
