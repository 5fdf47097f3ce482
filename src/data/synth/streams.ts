/**
 * Stream ids of the synthetic scene generator, so layout, sampling, noise and light draw from
 * independent sequences of the shared seeded generator (core/rng's `Rng.stream`).
 */

/** Stream ids, so layout, sampling and noise draw from independent sequences. */
export const STREAM = { layout: 1, sample: 2, noise: 3, light: 4 } as const;
