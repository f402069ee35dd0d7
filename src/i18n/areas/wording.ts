/** Wording that keeps every page true (issue 8), kept apart so capabilities can be built in parallel. */
export const wordingEn = {
  'wording.signup.resent':
    'If this address has no account yet, a new code goes there. Only the newest code works.',
  'wording.messages.no_reference': 'None (text messages carry no reference)',
  'wording.check.empty': 'Enter the reference printed at the end of the email, such as MMR-7KQ2-XH9D.',
  'wording.none.recovery_code': 'If you have a recovery code, enter it on the previous step.',
  'wording.forgot.nothing_sms':
    'Nothing arrived? Ask for a new code once the button allows it, or use another way. One phone number gets at most {perDay} codes a day.',
  'wording.signin.secure':
    'Sign in to secure your account: next, you will change your password and sign out every other device. Forgot the password? Reset it instead (“Forgot your password?” below): a reset signs everyone else out too.',
};

export const wordingJa: Record<keyof typeof wordingEn, string> = {
  'wording.signup.resent':
    'このアドレスにまだアカウントがない場合は、新しいコードが届きます。使えるのは最新のコードだけです。',
  'wording.messages.no_reference': 'なし（SMS には参照番号はありません）',
  'wording.check.empty': 'メールの末尾に記載された参照番号（例：MMR-7KQ2-XH9D）を入力してください。',
  'wording.none.recovery_code': '回復コードをお持ちの場合は、前の画面で入力してください。',
  'wording.forgot.nothing_sms':
    '届かない場合は、ボタンが押せるようになってからコードを再送するか、別の方法をお試しください。1つの電話番号に送れるコードは1日{perDay}回までです。',
  'wording.signin.secure':
    'アカウントを保護するには、サインインしてください。続けて、パスワードの変更とほかのすべてのデバイスのサインアウトを行います。パスワードがわからない場合は、下の「パスワードをお忘れですか？」から再設定してください。再設定でも、ほかのすべてのデバイスがサインアウトされます。',
};
