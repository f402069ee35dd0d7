/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const checkupEn = {
  // Security checkup
  'checkup.title': 'Security checkup',
  'checkup.lead':
    'A quick look at how well your account is protected, with what you can do to make it safer. Each step takes a minute or two.',
  'checkup.score': 'Your score',
  'checkup.score_value': '{score} out of 100',
  'checkup.all_done': 'Everything is in place. Your account is well protected.',
  'checkup.improve': 'What you can improve',
  'checkup.done': 'Already done',
  'checkup.addresses': 'Address concerned: {addresses}',
  'checkup.link': 'Security checkup',

  'checkup.item.two_step.todo': 'Turn on two-step verification',
  'checkup.item.two_step.done': 'Two-step verification is on',
  'checkup.item.two_step.needs_two_methods': 'Then turn on two-step verification',
  'checkup.item.two_step.needs_two_methods_why':
    'Two-step verification needs two verified methods, so that losing one does not lock you out. Once you have added them, you can turn it on here.',
  'checkup.item.two_step.why':
    'Even if someone learns your password, they also need a second proof to sign in.',
  'checkup.item.two_methods.todo': 'Add a second way to verify it is you',
  'checkup.item.two_methods.done': 'You have at least two verified methods',
  'checkup.item.two_methods.first_method': 'Add a way to verify it is you',
  'checkup.item.two_methods.first_method_why':
    'An email address, a mobile number or an authenticator app lets you get back into your account if you forget your password. Add two, so that losing one does not lock you out.',
  'checkup.item.two_methods.why':
    'If you lose access to one address or phone, you can still get back into your account with the other.',
  'checkup.item.strong_method.todo': 'Add an authenticator app or a passkey',
  'checkup.item.strong_method.done': 'You have an authenticator app or a passkey',
  'checkup.item.strong_method.why':
    'These cannot be intercepted like an email or a text message, and a passkey cannot be phished.',
  'checkup.item.phone.todo': 'Add a mobile number',
  'checkup.item.phone.done': 'You have a verified mobile number',
  'checkup.item.phone.why': 'A code by text message helps when you cannot read your email.',
  'checkup.item.recovery_code.todo': 'Create a recovery code',
  'checkup.item.recovery_code.done': 'You have created a recovery code',
  'checkup.item.recovery_code.why':
    'A recovery code lets you reset your password even if you lose every other method. Print it or keep it somewhere safe.',
  'checkup.item.no_disposable.todo': 'Replace a disposable address',
  'checkup.item.no_disposable.done': 'No disposable addresses',
  'checkup.item.no_disposable.why':
    'Disposable addresses stop working or can be read by others: they cannot help you get back into your account.',
  'checkup.item.not_primary.todo': 'Use a different contact address from your sign-in address',
  'checkup.item.not_primary.done': 'Your contact addresses differ from your sign-in address',
  'checkup.item.not_primary.why':
    'A contact address only helps if it is a different mailbox from the one you sign in with.',
  'checkup.item.no_role_address.todo': 'Replace a shared address with a personal one',
  'checkup.item.no_role_address.done': 'No shared or role addresses',
  'checkup.item.no_role_address.why':
    'Addresses like info@ or support@ are often read by several people, and you may lose them when your job changes.',
  'checkup.item.confirmed.todo': 'Confirm your security info is still yours',
  'checkup.item.confirmed.done': 'You confirmed your security info on {date}',
  'checkup.item.confirmed.why':
    'Addresses and numbers you no longer use could end up with someone else. Check them from time to time.',

  'checkup.action.add_email': 'Add an email address',
  'checkup.action.add_phone': 'Add a mobile number',
  'checkup.action.add_totp': 'Set up an authenticator app',
  'checkup.action.add_passkey': 'Add a passkey',
  'checkup.action.two_step': 'Turn on two-step verification',
  'checkup.action.recovery_code': 'Create a recovery code',
  'checkup.action.review': 'Review your security info',
  'checkup.action.confirm': 'Check my security info',

  'checkup.methods': 'When you last confirmed each method',
  'checkup.method_confirmed': 'Confirmed as yours on {date}',
  'checkup.item.confirmed.new': 'Your account is new: the first check is due on {date}',
  'checkup.method_verified': 'Verified with a code on {date}, not checked since',

  // Periodic check ("is this still yours?")
  'confirm_info.title': 'Is this security info still yours?',
  'confirm_info.lead':
    'Every {days} days we ask you to check the addresses, numbers and devices that can be used to get into your account. Remove anything you no longer use.',
  'confirm_info.last': 'You last confirmed on {date}.',
  'confirm_info.never': 'You have not confirmed yet (account created on {date}).',
  'confirm_info.primary': 'Sign-in address',
  'confirm_info.methods': 'Your security info',
  'confirm_info.none': 'You have no verified security info besides your sign-in address.',
  'confirm_info.submit': 'Yes, all of this is mine',
  'confirm_info.update': 'No, I need to update it',
  'confirm_info.later': 'Ask me next time',
  'confirm_info.done': 'Thank you. Your security info is confirmed.',

  'checkup.mail.subject': 'Please check that your security info is still yours',
  'checkup.mail.body':
    'To keep your account safe, please check the addresses, phone numbers and devices that can be used to sign in or to reset your password, and remove any you no longer use.',
  'checkup.mail.last': 'You last confirmed them on {date}.',
  'checkup.mail.action': 'Check my security info',
  'checkup.mail.not_yours':
    'If you see something that is not yours, remove it and change your password straight away.',
  'messages.kind.periodic_reminder': 'Security info check reminder',
} as const;

export const checkupJa: Record<keyof typeof checkupEn, string> = {
  'checkup.title': 'セキュリティ診断',
  'checkup.lead':
    'アカウントがどのくらい守られているかを確認し、さらに安全にするためにできることをご案内します。どの手順も1〜2分で終わります。',
  'checkup.score': 'あなたのスコア',
  'checkup.score_value': '100点中 {score}点',
  'checkup.all_done': 'すべての対策ができています。アカウントはしっかり守られています。',
  'checkup.improve': '改善できること',
  'checkup.done': '対策済みの項目',
  'checkup.addresses': '対象のアドレス：{addresses}',
  'checkup.link': 'セキュリティ診断',

  'checkup.item.two_step.todo': '2段階認証をオンにする',
  'checkup.item.two_step.done': '2段階認証はオンです',
  'checkup.item.two_step.needs_two_methods': '続けて2段階認証をオンにする',
  'checkup.item.two_step.needs_two_methods_why':
    '2段階認証には、確認済みの本人確認方法が2つ必要です（一つが使えなくなってもサインインできるようにするためです）。2つ登録すると、ここからオンにできます。',
  'checkup.item.two_step.why':
    'パスワードを知られてしまっても、もう一つの確認がなければサインインできなくなります。',
  'checkup.item.two_methods.todo': '本人確認の方法をもう一つ追加する',
  'checkup.item.two_methods.done': '確認済みの本人確認方法が2つ以上あります',
  'checkup.item.two_methods.first_method': '本人確認の方法を追加する',
  'checkup.item.two_methods.first_method_why':
    'メールアドレス、携帯電話番号、認証アプリのどれかがあれば、パスワードを忘れてもアカウントを取り戻せます。一つが使えなくなっても困らないよう、2つ登録しておきましょう。',
  'checkup.item.two_methods.why':
    'メールアドレスや電話番号の一つが使えなくなっても、もう一方でアカウントを取り戻せます。',
  'checkup.item.strong_method.todo': '認証アプリかパスキーを追加する',
  'checkup.item.strong_method.done': '認証アプリまたはパスキーが登録されています',
  'checkup.item.strong_method.why':
    'メールや SMS のように途中で盗み見られることがなく、パスキーはフィッシングにもだまされません。',
  'checkup.item.phone.todo': '携帯電話番号を追加する',
  'checkup.item.phone.done': '確認済みの携帯電話番号があります',
  'checkup.item.phone.why': 'メールが読めないときでも、SMS でコードを受け取れます。',
  'checkup.item.recovery_code.todo': '回復コードを作成する',
  'checkup.item.recovery_code.done': '回復コードは作成済みです',
  'checkup.item.recovery_code.why':
    'ほかの方法がすべて使えなくなっても、回復コードがあればパスワードを再設定できます。印刷するなどして安全な場所に保管してください。',
  'checkup.item.no_disposable.todo': '使い捨てのメールアドレスを変更する',
  'checkup.item.no_disposable.done': '使い捨てのメールアドレスはありません',
  'checkup.item.no_disposable.why':
    '使い捨てのアドレスはすぐに使えなくなったり、他人に読まれたりするため、アカウントを取り戻す助けになりません。',
  'checkup.item.not_primary.todo': 'サインイン用とは別の連絡用アドレスにする',
  'checkup.item.not_primary.done': '連絡用アドレスはサインイン用のアドレスと別になっています',
  'checkup.item.not_primary.why':
    '連絡用アドレスは、サインインに使うものとは別のメールボックスでなければ役に立ちません。',
  'checkup.item.no_role_address.todo': '共用のアドレスを個人のアドレスに変更する',
  'checkup.item.no_role_address.done': '共用・部署用のアドレスはありません',
  'checkup.item.no_role_address.why':
    'info@ や support@ のようなアドレスは複数の人が読むことが多く、異動や退職で使えなくなることもあります。',
  'checkup.item.confirmed.todo': 'セキュリティ情報が今もご自身のものか確認する',
  'checkup.item.confirmed.done': '{date} にセキュリティ情報を確認済みです',
  'checkup.item.confirmed.why':
    '使わなくなったアドレスや番号は、いずれ他人の手に渡るおそれがあります。ときどき見直しましょう。',

  'checkup.action.add_email': 'メールアドレスを追加',
  'checkup.action.add_phone': '携帯電話番号を追加',
  'checkup.action.add_totp': '認証アプリを設定',
  'checkup.action.add_passkey': 'パスキーを追加',
  'checkup.action.two_step': '2段階認証をオンにする',
  'checkup.action.recovery_code': '回復コードを作成',
  'checkup.action.review': 'セキュリティ情報を見直す',
  'checkup.action.confirm': 'セキュリティ情報を確認する',

  'checkup.methods': '各方法を最後に確認した日',
  'checkup.method_confirmed': '{date} にご自身のものと確認',
  'checkup.item.confirmed.new': 'アカウントを作成して間もないため、最初の確認は {date} です',
  'checkup.method_verified': '{date} にコードで確認済み（それ以降はまだ確認していません）',

  'confirm_info.title': 'このセキュリティ情報は今もあなたのものですか？',
  'confirm_info.lead':
    '{days}日ごとに、アカウントへのサインインや再設定に使えるメールアドレス・電話番号・デバイスを確認していただいています。使っていないものは削除してください。',
  'confirm_info.last': '前回の確認日：{date}',
  'confirm_info.never': 'まだ一度も確認していません（アカウント作成日：{date}）。',
  'confirm_info.primary': 'サインイン用のアドレス',
  'confirm_info.methods': 'セキュリティ情報',
  'confirm_info.none': 'サインイン用のアドレスのほかに、確認済みのセキュリティ情報はありません。',
  'confirm_info.submit': 'はい、すべて自分のものです',
  'confirm_info.update': 'いいえ、変更が必要です',
  'confirm_info.later': '次回にする',
  'confirm_info.done': 'ありがとうございます。セキュリティ情報の確認が完了しました。',

  'checkup.mail.subject': 'セキュリティ情報が今もご自身のものかご確認ください',
  'checkup.mail.body':
    'アカウントを安全に保つため、サインインやパスワードの再設定に使えるメールアドレス・電話番号・デバイスをご確認のうえ、使っていないものは削除してください。',
  'checkup.mail.last': '前回の確認日：{date}',
  'checkup.mail.action': 'セキュリティ情報を確認する',
  'checkup.mail.not_yours': '心当たりのない情報があった場合は、すぐに削除してパスワードを変更してください。',
  'messages.kind.periodic_reminder': 'セキュリティ情報の確認のお願い',
};
