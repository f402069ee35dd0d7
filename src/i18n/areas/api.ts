/** Messages of the JSON API (validation errors that name the fields), kept apart for parallel work. */
export const apiEn = {
  'api.invalid_fields': 'The request is not valid. Check: {fields}.',
} as const;

export const apiJa: Record<keyof typeof apiEn, string> = {
  'api.invalid_fields': 'リクエストの内容が正しくありません。確認が必要な項目：{fields}',
};
