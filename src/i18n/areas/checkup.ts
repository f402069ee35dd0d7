/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const checkupEn = {} as const;

export const checkupJa: Record<keyof typeof checkupEn, string> = {};
