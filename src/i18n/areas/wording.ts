/** Wording that keeps every page true (issue 8), kept apart so capabilities can be built in parallel. */
export const wordingEn = {
  'wording.signup.resent':
    'If this address has no account yet, a new code goes there. Only the newest code works.',
};

export const wordingJa: Record<keyof typeof wordingEn, string> = {
  'wording.signup.resent':
    'このアドレスにまだアカウントがない場合は、新しいコードが届きます。使えるのは最新のコードだけです。',
};
