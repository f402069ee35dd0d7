/** Texts of the organisations capability (org-console), kept apart for parallel work. */
export const orgConsoleEn = {} as const;

export const orgConsoleJa: Record<keyof typeof orgConsoleEn, string> = {};
