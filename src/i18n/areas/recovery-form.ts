/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const recoveryFormEn = {} as const;

export const recoveryFormJa: Record<keyof typeof recoveryFormEn, string> = {};
