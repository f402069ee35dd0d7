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
  'reccode.reset.next_second': 'I have written it down: one more check',
  'forgot.choose.second_org':
    'Your organisation asks for two checks to reset the password of {account}. Choose another way for the second one.',

  'error.phrase.is_password':
    'Do not use your password as your greeting: it is printed in every email we send you. Choose something else, and if you have written your password anywhere it could be seen, change it.',
  'error.phrase.contains_email':
    'Do not put your sign-in email address in your greeting: it is printed in every email we send you.',
  'error.phrase.contains_phone':
    'Do not put a phone number of your account in your greeting: it is printed in every email we send you.',
  'error.password.same_as_phrase':
    'Choose a password that is different from your greeting: the greeting is printed in every email we send you.',
};

export const reccodeJa: Record<keyof typeof reccodeEn, string> = {
  'reccode.reset.title': '新しい回復コード',
  'reccode.reset.lead':
    '入力した回復コードは使用済みになり、もう使えません。こちらが新しい回復コードです。新しいパスワードを設定する前に中断しても、このコードは使えます。',
  'reccode.reset.next': '書き留めたので、新しいパスワードを設定する',
  'reccode.reset.next_second': '書き留めたので、もう1つの確認に進む',
  'forgot.choose.second_org':
    '{account} のパスワードを再設定するには、組織のポリシーにより2つの確認が必要です。別の方法で2つ目の確認を行ってください。',

  'error.phrase.is_password':
    'パスワードをあいさつ文にしないでください。あいさつ文は、お送りするすべてのメールに表示されます。別の言葉にしてください。パスワードを人に見える場所に書いた場合は、パスワードを変更してください。',
  'error.phrase.contains_email':
    'サインイン用のメールアドレスをあいさつ文に含めないでください。あいさつ文は、お送りするすべてのメールに表示されます。',
  'error.phrase.contains_phone':
    'アカウントに登録した電話番号をあいさつ文に含めないでください。あいさつ文は、お送りするすべてのメールに表示されます。',
  'error.password.same_as_phrase':
    'あいさつ文とは違うパスワードにしてください。あいさつ文は、お送りするすべてのメールに表示されます。',
};
