/** Messages of the "no dead ends" work (issue 8, kind 4), kept apart so capabilities can be built in parallel. */
export const deadendsEn = {
  // Password reset: the verified sign-in address as a destination
  'deadends.forgot.signin': 'Email to your sign-in address {masked}',

  // The second step of a sign-in: ways out
  'deadends.second.recovery_code_method': 'Recovery code',
  'deadends.second.recovery_title': 'Use your recovery code',
  'deadends.second.recovery_label': 'Recovery code',
  'deadends.second.recovery_hint':
    'The 25-character code you saved when you made it. It works once; we will show you a new one.',
  'deadends.second.recovery_submit': 'Sign in with the recovery code',
  'deadends.second.none': "I don't have any of these",
  'deadends.second.new_code_title': 'You are signed in: here is your new recovery code',
  'deadends.second.new_code_lead':
    'The recovery code you used no longer works. Save this new one somewhere safe, away from your devices.',
  'deadends.second.continue': 'I have saved it, continue',

  // Sign-up: input errors, the typo suggestion, the confirmation page
  'error.account.email_disposable':
    'This is a disposable address ({domain}): it stops working after a while, and then you could not get back into your account. Use an address you keep.',
  'error.account.email_typo': 'Did you mean {suggestion}?',
  'deadends.signup.typo_lead': 'Did you mean {suggestion}? Check the address before we send the code.',
  'deadends.signup.typo_use': 'Use {suggestion}',
  'deadends.signup.typo_keep': 'Keep {typed}',
  'deadends.signup.typo_expired': 'That took too long. Fill in the form again.',
  'deadends.signup.change': 'Wrong address? Change it',

  // Account settings
  'error.account.time_zone_invalid': 'Choose a time zone from the list.',
  'deadends.account.link': 'Name, language and time zone',
  'deadends.account.title': 'Account settings',
  'deadends.account.lead':
    'Your name is used to greet you in emails. Emails, text messages and pages use your language, and times are shown in your time zone.',
  'deadends.account.language': 'Language for emails and pages',
  'deadends.account.time_zone': 'Time zone',
  'deadends.account.time_zone_hint': 'Now: {time}',
  'deadends.account.email_hint':
    'You sign in with {email}. To use another address, add it under your security info.',
  'deadends.account.submit': 'Save',
  'deadends.account.saved': 'Saved. Emails and pages now use these settings.',
  'deadends.account.back': 'Back to your security info',
  'deadends.lang.offer': 'Your emails are still sent in Japanese. Send them in English too?',
  'deadends.lang.save': 'Use English for emails',
};

export const deadendsJa: Record<keyof typeof deadendsEn, string> = {
  'deadends.forgot.signin': 'サインイン用メールアドレス {masked} にメール',

  'deadends.second.recovery_code_method': '回復コード',
  'deadends.second.recovery_title': '回復コードを使う',
  'deadends.second.recovery_label': '回復コード',
  'deadends.second.recovery_hint':
    '作成したときに保管した25文字のコードです。使えるのは1回だけで、使うと新しいコードを表示します。',
  'deadends.second.recovery_submit': '回復コードでサインインする',
  'deadends.second.none': 'どれも使えない場合',
  'deadends.second.new_code_title': 'サインインしました。新しい回復コードです',
  'deadends.second.new_code_lead':
    '使った回復コードはもう使えません。この新しいコードを、デバイスとは別の安全な場所に保管してください。',
  'deadends.second.continue': '保管したので次へ進む',

  'error.account.email_disposable':
    'これは使い捨てのメールアドレス（{domain}）です。しばらくすると使えなくなり、アカウントに戻れなくなります。使い続けるアドレスを入力してください。',
  'error.account.email_typo': 'もしかして {suggestion} ですか？',
  'deadends.signup.typo_lead': 'もしかして {suggestion} ですか？コードを送る前に、アドレスをご確認ください。',
  'deadends.signup.typo_use': '{suggestion} を使う',
  'deadends.signup.typo_keep': '入力したとおり {typed} を使う',
  'deadends.signup.typo_expired': '時間が経ちすぎました。もう一度フォームに入力してください。',
  'deadends.signup.change': 'アドレスが違う場合は変更する',

  'error.account.time_zone_invalid': '一覧からタイムゾーンを選んでください。',
  'deadends.account.link': '名前・言語・タイムゾーン',
  'deadends.account.title': 'アカウントの設定',
  'deadends.account.lead':
    '名前はメールの宛名に使います。メール・SMS・ページはここで選んだ言語で表示し、日時はタイムゾーンに合わせて表示します。',
  'deadends.account.language': 'メールとページの言語',
  'deadends.account.time_zone': 'タイムゾーン',
  'deadends.account.time_zone_hint': '現在：{time}',
  'deadends.account.email_hint':
    'サインインには {email} を使います。別のアドレスを使うには、セキュリティ情報に追加してください。',
  'deadends.account.submit': '保存する',
  'deadends.account.saved': '保存しました。これからのメールとページはこの設定を使います。',
  'deadends.account.back': 'セキュリティ情報に戻る',
  'deadends.lang.offer': 'メールは今も英語でお送りしています。メールも日本語にしますか？',
  'deadends.lang.save': 'メールも日本語にする',
};
