/** Texts of the apps capability (apps-delivery): the delivery log of webhooks and signals. */
export const appsDeliveryEn = {} as const;

export const appsDeliveryJa: Record<keyof typeof appsDeliveryEn, string> = {};
