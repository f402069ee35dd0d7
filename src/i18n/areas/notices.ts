/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const noticesEn = {} as const;

export const noticesJa: Record<keyof typeof noticesEn, string> = {};
