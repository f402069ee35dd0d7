/** Texts of the organisations capability (org-newcomer: fixes found walking the story in a browser). */
export const orgNewcomerEn = {
  'org.member.no_snooze_reregister':
    "Your administrator's request cannot be put off: add a new method to continue.",
  'org.tap.signin.wrong':
    'That email address or pass is not right, or the pass has expired or was already used. Ask your administrator for a new pass.',
} as const;

export const orgNewcomerJa: Record<keyof typeof orgNewcomerEn, string> = {
  'org.member.no_snooze_reregister':
    '管理者からの依頼のため、延期はできません。続けるには、新しい認証方法を追加してください。',
  'org.tap.signin.wrong':
    'メールアドレスまたはパスが正しくないか、パスの有効期限が切れているか、すでに使われています。管理者に新しいパスを依頼してください。',
};
