/** Wording that keeps every page true (issue 8), kept apart so capabilities can be built in parallel. */
export const wordingEn = {
  'wording.signup.resent':
    'If this address has no account yet, a new code goes there. Only the newest code works.',
  'wording.messages.no_reference': 'None (text messages carry no reference)',
  'wording.check.empty': 'Enter the reference printed at the end of the email, such as MMR-7KQ2-XH9D.',
  'wording.none.recovery_code': 'If you have a recovery code, enter it on the previous step.',
};

export const wordingJa: Record<keyof typeof wordingEn, string> = {
  'wording.signup.resent':
    'このアドレスにまだアカウントがない場合は、新しいコードが届きます。使えるのは最新のコードだけです。',
  'wording.messages.no_reference': 'なし（SMS には参照番号はありません）',
  'wording.check.empty': 'メールの末尾に記載された参照番号（例：MMR-7KQ2-XH9D）を入力してください。',
  'wording.none.recovery_code': '回復コードをお持ちの場合は、前の画面で入力してください。',
};
