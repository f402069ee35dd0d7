/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const replacementEn = {} as const;

export const replacementJa: Record<keyof typeof replacementEn, string> = {};
