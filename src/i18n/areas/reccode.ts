/**
 * The recovery code step of "forgot password" (the new code shown at once) and what the personal phrase and
 * the password must not be (each other, the sign-in address, a phone number); kept apart so capabilities
 * can be built in parallel.
 */
export const reccodeEn = {
  'reccode.reset.title': 'Your new recovery code',
  'reccode.reset.lead':
    'The recovery code you entered is now used up and no longer works. Here is your new one: it works from now on, even if you stop before choosing a new password.',
  'reccode.reset.next': 'I have written it down: choose a new password',
};

export const reccodeJa: Record<keyof typeof reccodeEn, string> = {
  'reccode.reset.title': '新しい回復コード',
  'reccode.reset.lead':
    '入力した回復コードは使用済みになり、もう使えません。こちらが新しい回復コードです。新しいパスワードを設定する前に中断しても、このコードは使えます。',
  'reccode.reset.next': '書き留めたので、新しいパスワードを設定する',
};
