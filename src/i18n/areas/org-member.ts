/** Texts of the organisations capability (org-member), kept apart for parallel work. */
export const orgMemberEn = {} as const;

export const orgMemberJa: Record<keyof typeof orgMemberEn, string> = {};
