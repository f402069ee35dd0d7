/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const replacementEn = {
  // Code emails for new info entered for a replacement
  'mail.code.replace.subject': 'Verify your new security info',
  'mail.code.replace.intro':
    'Someone is adding this address as new security info for the Mamori account {account}, to replace all of its current security info. If it was you, enter this code.',

  // Emails to the current (old) contacts
  'replacement.mail.started.subject': 'A request to replace all the security info of your account',
  'replacement.mail.started.body':
    'Someone signed in to the Mamori account {account} asked to replace all of its security info with: {newInfo}.',
  'replacement.mail.started.body_form':
    'After an account recovery request, all the security info of the Mamori account {account} is to be replaced with: {newInfo}.',
  'replacement.mail.reminder.subject': 'Reminder: all your security info will be replaced on {date}',
  'replacement.mail.reminder.body':
    'A request to replace all the security info of the Mamori account {account} with {newInfo} is still waiting ({days} days left).',
  'replacement.mail.when':
    'Nothing changes until {date}. Then your current email addresses, phone numbers, authenticator apps and passkeys will stop working, and only the new info will.',
  'replacement.mail.if_you': 'If you made this request, you do not need to do anything.',
  'replacement.mail.cancel_how':
    'If you did not, or if you can still use this address, cancel it with “Cancel this request” below. Signing in with a code sent to your current info cancels it too.',
  'replacement.mail.not_me':
    'If this was not you, someone may know your password. Open this link to cancel the request and sign everyone out, then reset your password: {notMeUrl}',
  'replacement.mail.cancel_action': 'Cancel this request',
  'replacement.mail.cancelled.subject': 'The replacement of your security info was cancelled',
  'replacement.mail.cancelled.body':
    'The request to replace all the security info of the Mamori account {account} was cancelled ({time}). Your security info stays as it was.',
  'replacement.mail.cancelled.warn':
    'If you did not make the request, change your password and check the recent activity of your account.',
  'replacement.mail.completed.subject': 'The security info of your account was replaced',
  'replacement.mail.completed.body':
    'The security info of the Mamori account {account} was replaced ({time}). The new security info is: {newInfo}.',
  'replacement.mail.completed.next':
    'The previous email addresses, phone numbers, authenticator apps and passkeys no longer work for this account.',
  'replacement.mail.completed.warn':
    'If you did not ask for this, use the account recovery form at once to get your account back.',

  // Entry page: "I don't have any of these"
  'replacement.link': "I don't have any of these",
  'replacement.entry.title': 'Replace all your security info',
  'replacement.entry.lead':
    'Use this if you can no longer receive codes at any of your email addresses or phone numbers. Enter new info here; it replaces all your current security info after {days} days.',
  'replacement.entry.step_verify':
    'Add your new email addresses and phone numbers, and verify each one with its code.',
  'replacement.entry.step_wait':
    'Then the wait of {days} days starts. Nothing changes until it ends, and nobody can shorten it.',
  'replacement.entry.step_notify':
    'We tell your current email addresses at once and again during the wait. Anyone who can read them can cancel the request.',
  'replacement.entry.step_restricted':
    'During the wait you cannot change your password, your security info or two-step verification.',
  'replacement.entry.recovery_hint':
    'If you have a recovery code made more than {days} days ago, you can use it after confirming to make the change at once.',
  'replacement.entry.new_info': 'New security info',
  'replacement.entry.empty': 'Nothing added yet.',
  'replacement.entry.add_email': 'Add a new email address',
  'replacement.entry.add_phone': 'Add a new mobile number',
  'replacement.entry.verified': 'Verified',
  'replacement.entry.unverified': 'Not verified',
  'replacement.entry.verify': 'Enter code',
  'replacement.entry.remove': 'Remove',
  'replacement.entry.continue': 'Continue',
  'replacement.entry.need_verified':
    'Add and verify at least one new email address or phone number to continue.',
  'replacement.entry.discard': 'Discard and go back',

  // Verify a new item
  'replacement.verify.title': 'Verify your new info',

  // Confirmation
  'replacement.confirm.title': 'Start the {days}-day wait?',
  'replacement.confirm.lead': 'All your current security info will be replaced with this new info on {date}:',
  'replacement.confirm.removed':
    'Your current email addresses, phone numbers, authenticator apps and passkeys will then stop working. Your sign-in email address and password stay the same.',
  'replacement.confirm.submit': 'Start the wait',

  // Pending page
  'replacement.pending.title': 'Your security info change is pending',
  'replacement.pending.lead': 'All your security info will be replaced on {date}.',
  'replacement.pending.new_info': 'New security info',
  'replacement.pending.restricted':
    'Until then you cannot change your password, your security info or two-step verification. Your current info keeps working.',
  'replacement.pending.cancel_title': 'Cancel the change',
  'replacement.pending.cancel_lead':
    'If you can use your current info again, or did not ask for this, cancel it.',
  'replacement.pending.cancel': 'Cancel this request',
  'replacement.pending.recovery_title': 'Have your recovery code?',
  'replacement.pending.recovery_lead':
    'Enter your recovery code to make the change now instead of waiting. The code is then used up and you get a new one.',
  'replacement.pending.recovery_field': 'Recovery code',
  'replacement.pending.recovery_submit': 'Use the recovery code',
  'replacement.pending.recovery_too_new':
    'Your recovery code was made on {created}, less than {days} days ago, so it cannot skip the wait: a code that new only shows that someone knew your password when it was made.',
  'replacement.pending.recovery_none': 'You have no recovery code, so the wait cannot be skipped.',
  'replacement.pending.none': 'There is no pending change to your security info.',
  'replacement.pending.start': 'Replace all your security info',
  'replacement.done.cancelled': 'The request is cancelled. Your security info stays as it was.',
  'replacement.done.started': 'The wait has started. We have told your current email addresses.',
  'replacement.applied.title': 'Your security info was replaced',
  'replacement.applied.lead':
    'Your new info is now your security info. Here is your new recovery code; the one you used no longer works.',
  'replacement.applied.done': 'I have kept it safe',

  // Public pages reached from an email
  'replacement.cancel.title': 'Cancel the change to your security info',
  'replacement.cancel.lead':
    'Someone asked to replace all the security info of the Mamori account {account}. It takes effect on {date} unless it is cancelled.',
  'replacement.cancel.submit': 'Cancel the request',
  'replacement.cancel.not_me': 'This was not me',
  'replacement.cancel.invalid':
    'This link no longer works: the request was already cancelled or has taken effect, or the link is incomplete.',
  'replacement.cancel.done_title': 'The request is cancelled',
  'replacement.cancel.done':
    'Your security info stays as it was. We have sent a confirmation to your email addresses.',
  'replacement.cancel.sign_in': 'Sign in',
  'replacement.not_me.title': 'Was this not you?',
  'replacement.not_me.lead':
    'We will cancel the request and sign out everyone who is signed in to the account {account}. Someone else may know your password, so reset it next.',
  'replacement.not_me.submit': 'Cancel it and sign everyone out',
  'replacement.not_me.done':
    'The request is cancelled and everyone who was signed in has been signed out. Now choose a new password: reset it at {forgotUrl}.',
  'replacement.not_me.reset': 'Reset my password',
  'replacement.not_me.then':
    'Then sign in, check your security info and recent activity, and use “Secure your account” if anything looks wrong.',

  // "Messages we sent"
  'messages.kind.replacement_started': 'Replacement of all security info requested',
  'messages.kind.replacement_reminder': 'Reminder: security info about to be replaced',
  'messages.kind.replacement_cancelled': 'Replacement of security info cancelled',
  'messages.kind.replacement_completed': 'Security info replaced',
} as const;

export const replacementJa: Record<keyof typeof replacementEn, string> = {
  'mail.code.replace.subject': '新しいセキュリティ情報の確認',
  'mail.code.replace.intro':
    'Mamori アカウント {account} の現在のセキュリティ情報をすべて置き換えるため、このアドレスを新しいセキュリティ情報として追加する操作が行われました。ご本人の操作であれば、次のコードを入力してください。',

  'replacement.mail.started.subject': 'アカウントのセキュリティ情報をすべて置き換える申請がありました',
  'replacement.mail.started.body':
    'Mamori アカウント {account} にサインインした人が、セキュリティ情報をすべて次の情報に置き換えるよう申請しました：{newInfo}',
  'replacement.mail.started.body_form':
    'アカウント回復の申請により、Mamori アカウント {account} のセキュリティ情報がすべて次の情報に置き換えられる予定です：{newInfo}',
  'replacement.mail.reminder.subject': '【再通知】{date} にセキュリティ情報がすべて置き換えられます',
  'replacement.mail.reminder.body':
    'Mamori アカウント {account} のセキュリティ情報を {newInfo} にすべて置き換える申請が、引き続き保留中です（残り{days}日）。',
  'replacement.mail.when':
    '{date} までは何も変わりません。その時点で、現在のメールアドレス・電話番号・認証アプリ・パスキーはすべて使えなくなり、新しい情報だけが有効になります。',
  'replacement.mail.if_you': 'ご自身で申請した場合は、何もする必要はありません。',
  'replacement.mail.cancel_how':
    '申請した覚えがない場合や、このアドレスをまだ使える場合は、下の「この申請を取り消す」から取り消してください。現在の情報に届いたコードでサインインした場合も、申請は取り消されます。',
  'replacement.mail.not_me':
    'ご自身の操作でない場合は、第三者にパスワードを知られている可能性があります。次のリンクから申請を取り消してすべてのデバイスをサインアウトさせ、パスワードを再設定してください：{notMeUrl}',
  'replacement.mail.cancel_action': 'この申請を取り消す',
  'replacement.mail.cancelled.subject': 'セキュリティ情報の置き換えを取り消しました',
  'replacement.mail.cancelled.body':
    'Mamori アカウント {account} のセキュリティ情報をすべて置き換える申請は取り消されました（{time}）。セキュリティ情報はこれまでどおりです。',
  'replacement.mail.cancelled.warn':
    '申請した覚えがない場合は、パスワードを変更し、アカウントの最近のアクティビティを確認してください。',
  'replacement.mail.completed.subject': 'アカウントのセキュリティ情報が置き換えられました',
  'replacement.mail.completed.body':
    'Mamori アカウント {account} のセキュリティ情報が置き換えられました（{time}）。新しいセキュリティ情報：{newInfo}',
  'replacement.mail.completed.next':
    '以前のメールアドレス・電話番号・認証アプリ・パスキーは、このアカウントでは使えなくなりました。',
  'replacement.mail.completed.warn':
    '申請した覚えがない場合は、すぐにアカウント回復フォームからアカウントを取り戻してください。',

  'replacement.link': 'どれも使えない場合',
  'replacement.entry.title': 'セキュリティ情報をすべて置き換える',
  'replacement.entry.lead':
    '登録しているメールアドレスや電話番号のどれにもコードが届かなくなった場合にご利用ください。ここで入力した新しい情報は、{days}日後に現在のセキュリティ情報とすべて置き換わります。',
  'replacement.entry.step_verify':
    '新しいメールアドレスや電話番号を追加し、届いたコードでそれぞれ確認します。',
  'replacement.entry.step_wait':
    'そのあと{days}日間の待機期間が始まります。期間が終わるまで何も変わらず、期間を短くすることもできません。',
  'replacement.entry.step_notify':
    '現在のメールアドレスにはすぐに、また待機期間中にも繰り返しお知らせします。そのメールを読める人は申請を取り消せます。',
  'replacement.entry.step_restricted':
    '待機期間中は、パスワード・セキュリティ情報・2段階認証の設定を変更できません。',
  'replacement.entry.recovery_hint':
    '作成から{days}日以上たった回復コードをお持ちの場合は、申請後に入力すると待たずにすぐ置き換えられます。',
  'replacement.entry.new_info': '新しいセキュリティ情報',
  'replacement.entry.empty': 'まだ何も追加されていません。',
  'replacement.entry.add_email': '新しいメールアドレスを追加',
  'replacement.entry.add_phone': '新しい携帯電話番号を追加',
  'replacement.entry.verified': '確認済み',
  'replacement.entry.unverified': '未確認',
  'replacement.entry.verify': 'コードを入力',
  'replacement.entry.remove': '削除',
  'replacement.entry.continue': '次へ',
  'replacement.entry.need_verified':
    '先に進むには、新しいメールアドレスか電話番号を1つ以上追加して確認してください。',
  'replacement.entry.discard': '入力内容を破棄して戻る',

  'replacement.verify.title': '新しい情報の確認',

  'replacement.confirm.title': '{days}日間の待機期間を開始しますか？',
  'replacement.confirm.lead': '{date} に、現在のセキュリティ情報がすべて次の新しい情報に置き換わります：',
  'replacement.confirm.removed':
    'その時点で、現在のメールアドレス・電話番号・認証アプリ・パスキーは使えなくなります。サインイン用のメールアドレスとパスワードは変わりません。',
  'replacement.confirm.submit': '待機期間を開始する',

  'replacement.pending.title': 'セキュリティ情報の変更を保留中です',
  'replacement.pending.lead': '{date} に、セキュリティ情報がすべて置き換えられます。',
  'replacement.pending.new_info': '新しいセキュリティ情報',
  'replacement.pending.restricted':
    'それまでは、パスワード・セキュリティ情報・2段階認証の設定を変更できません。現在の情報は引き続き使えます。',
  'replacement.pending.cancel_title': '変更を取り消す',
  'replacement.pending.cancel_lead':
    '現在の情報をまた使えるようになった場合や、申請した覚えがない場合は、取り消してください。',
  'replacement.pending.cancel': 'この申請を取り消す',
  'replacement.pending.recovery_title': '回復コードをお持ちですか？',
  'replacement.pending.recovery_lead':
    '回復コードを入力すると、待たずにすぐ置き換えられます。使った回復コードは無効になり、新しいコードが発行されます。',
  'replacement.pending.recovery_field': '回復コード',
  'replacement.pending.recovery_submit': '回復コードを使う',
  'replacement.pending.recovery_too_new':
    'お持ちの回復コードは {created} に作成されたもので、作成から{days}日たっていないため、待機期間を省略できません。作成したばかりの回復コードでは、作成したときにパスワードを知っていたことしか確かめられないためです。',
  'replacement.pending.recovery_none': '回復コードがないため、待機期間を省略することはできません。',
  'replacement.pending.none': '保留中のセキュリティ情報の変更はありません。',
  'replacement.pending.start': 'セキュリティ情報をすべて置き換える',
  'replacement.done.cancelled': '申請を取り消しました。セキュリティ情報はこれまでどおりです。',
  'replacement.done.started': '待機期間が始まりました。現在のメールアドレスにお知らせを送りました。',
  'replacement.applied.title': 'セキュリティ情報を置き換えました',
  'replacement.applied.lead':
    '新しい情報がセキュリティ情報になりました。新しい回復コードは次のとおりです。使用した回復コードは無効になりました。',
  'replacement.applied.done': '安全な場所に保管しました',

  'replacement.cancel.title': 'セキュリティ情報の変更の取り消し',
  'replacement.cancel.lead':
    'Mamori アカウント {account} のセキュリティ情報をすべて置き換える申請がありました。取り消さなければ {date} に反映されます。',
  'replacement.cancel.submit': '申請を取り消す',
  'replacement.cancel.not_me': '自分の操作ではない',
  'replacement.cancel.invalid':
    'このリンクは使えません。申請がすでに取り消されたか反映されたか、リンクが途中で切れている可能性があります。',
  'replacement.cancel.done_title': '申請を取り消しました',
  'replacement.cancel.done':
    'セキュリティ情報はこれまでどおりです。登録しているメールアドレスに確認のメールを送りました。',
  'replacement.cancel.sign_in': 'サインイン',
  'replacement.not_me.title': 'ご自身の操作ではありませんか？',
  'replacement.not_me.lead':
    '申請を取り消し、アカウント {account} にサインインしているすべてのデバイスをサインアウトさせます。第三者にパスワードを知られている可能性があるため、このあとパスワードを再設定してください。',
  'replacement.not_me.submit': '取り消してすべてサインアウトさせる',
  'replacement.not_me.done':
    '申請を取り消し、サインインしていたすべてのデバイスをサインアウトさせました。続けて、{forgotUrl} からパスワードを再設定してください。',
  'replacement.not_me.reset': 'パスワードを再設定する',
  'replacement.not_me.then':
    'そのあとサインインしてセキュリティ情報と最近のアクティビティを確認し、不審な点があれば「アカウントの保護」を行ってください。',

  'messages.kind.replacement_started': 'セキュリティ情報のすべての置き換えの申請',
  'messages.kind.replacement_reminder': 'セキュリティ情報の置き換えの再通知',
  'messages.kind.replacement_cancelled': 'セキュリティ情報の置き換えの取り消し',
  'messages.kind.replacement_completed': 'セキュリティ情報の置き換えの完了',
};
