/** Texts of the apps capability (apps-console): registering applications, webhook endpoints and signal receivers. */
export const appsConsoleEn = {} as const;

export const appsConsoleJa: Record<keyof typeof appsConsoleEn, string> = {};
