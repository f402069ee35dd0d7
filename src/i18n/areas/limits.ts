/** Messages of the abuse limits (owner alerts), kept apart so capabilities can be built in parallel. */
export const limitsEn = {
  'messages.kind.reset_guesses': 'Password reset attempts alert',
  'messages.kind.code_guesses': 'Wrong codes alert',

  'limits.mail.reset_guesses.subject': 'Someone is trying to reset your password',
  'limits.mail.reset_guesses.body':
    'Within the last hour, someone started password resets for your Mamori account and entered wrong verification codes {count} times.',
  'limits.mail.reset_guesses.safe':
    'None of those codes was accepted, and nothing on your account has changed.',
  'limits.mail.reset_guesses.not_you':
    'If this was not you, you do not need to do anything. Never tell anyone a code we send you, even someone who says they are from Mamori.',

  'limits.mail.code_guesses.subject': 'Wrong codes were entered for your account',
  'limits.mail.code_guesses.body':
    'Within the last hour, wrong verification codes were entered {count} times for your Mamori account after its password had been entered: at sign-in, or in a signed-in session.',
  'limits.mail.code_guesses.paused': 'To protect your account, such codes will not be checked until {until}.',
  'limits.mail.code_guesses.not_you':
    'If this was not you, someone may know your password or be signed in to your account. Change your password now, then check your recent activity and signed-in devices.',
  'limits.mail.code_guesses.action': 'Review your security',
};

export const limitsJa: Record<keyof typeof limitsEn, string> = {
  'messages.kind.reset_guesses': 'パスワード再設定の試みの警告',
  'messages.kind.code_guesses': '誤ったコード入力の警告',

  'limits.mail.reset_guesses.subject': 'パスワードの再設定が試みられています',
  'limits.mail.reset_guesses.body':
    'この1時間のあいだに、あなたの Mamori アカウントのパスワード再設定が試みられ、間違った確認コードが{count}回入力されました。',
  'limits.mail.reset_guesses.safe':
    'それらのコードはいずれも受け付けられておらず、アカウントには何も変更はありません。',
  'limits.mail.reset_guesses.not_you':
    'お心当たりがない場合も、操作の必要はありません。Mamori からお送りするコードは、Mamori を名乗る相手であっても誰にも教えないでください。',

  'limits.mail.code_guesses.subject': 'アカウントで間違ったコードが入力されました',
  'limits.mail.code_guesses.body':
    'この1時間のあいだに、あなたの Mamori アカウントで、パスワードの入力後（サインイン時）またはサインイン中の操作で、間違った確認コードが{count}回入力されました。',
  'limits.mail.code_guesses.paused': 'アカウントを守るため、{until}まではこれらのコードを確認しません。',
  'limits.mail.code_guesses.not_you':
    'お心当たりがない場合は、第三者があなたのパスワードを知っているか、アカウントにサインインしている可能性があります。今すぐパスワードを変更し、最近のアクティビティとサインイン中のデバイスを確認してください。',
  'limits.mail.code_guesses.action': 'セキュリティ設定を確認する',
};
