/** Texts of the organisations capability (org-actions), kept apart for parallel work. */
export const orgActionsEn = {} as const;

export const orgActionsJa: Record<keyof typeof orgActionsEn, string> = {};
