/** Texts of the organisations capability (org-api), kept apart for parallel work. */
export const orgApiEn = {} as const;

export const orgApiJa: Record<keyof typeof orgApiEn, string> = {};
