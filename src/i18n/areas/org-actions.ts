/** Texts of the organisations capability (org-actions), kept apart for parallel work. */
export const orgActionsEn = {
  'messages.kind.org_reregister_required': 'Your organisation asked you to set up your methods again',
  'messages.kind.org_sessions_revoked': 'Your organisation signed you out everywhere',
  'messages.kind.org_password_reset': 'Your organisation reset your password',
  'messages.kind.org_contact_added': 'Your organisation added a contact to your security info',
  'messages.kind.org_tap_created': 'Your organisation gave you a temporary access pass',
  'messages.kind.org_invitation': 'Invitation to an organisation',

  // Emails to the member about an admin action (src/organisations/admin-actions.ts, tap.ts).
  'org.mail.not_expected': 'If you did not expect this, contact {contact}.',
  'org.mail.reregister.subject': '{org} asked you to set up your sign-in methods again',
  'org.mail.reregister.body':
    'On {time}, an administrator of {org} removed the phones and authenticator apps from your Mamori account and asked you to set up your methods again. Your email addresses and passkeys are kept.',
  'org.mail.reregister.next': 'The next time you sign in, Mamori will walk you through adding new methods.',
  'org.mail.reregister.action': 'Open my security info',
  'org.mail.sessions.subject': '{org} signed you out of Mamori everywhere',
  'org.mail.sessions.body':
    'On {time}, an administrator of {org} ended all your sessions and removed your trusted devices.',
  'org.mail.sessions.next': 'Sign in again with your password and your second step.',
  'org.mail.sessions.action': 'Sign in',
  'org.mail.password.subject': '{org} reset your Mamori password',
  'org.mail.password.body':
    'On {time}, an administrator of {org} replaced your password with a temporary one and signed you out everywhere. The administrator gives you the temporary password; Mamori never sends it by email.',
  'org.mail.password.next': 'Sign in with it: Mamori will then ask you to choose a new password of your own.',
  'org.mail.password.action': 'Sign in',
  'org.mail.contact.subject': '{org} added {method} to your security info',
  'org.mail.contact.body':
    'On {time}, an administrator of {org} added {method} to your security info. It does not count until you confirm it.',
  'org.mail.contact.next':
    'Open your security info and send a code to it to confirm it. If it is not yours, remove it.',
  'org.mail.contact.action': 'Open my security info',
  'org.mail.tap.subject': '{org} gave you a temporary access pass',
  'org.mail.tap.body':
    'On {time}, an administrator of {org} created a temporary access pass for your account. It works until {until}. The administrator gives it to you; Mamori never sends it by email.',
  'org.mail.tap.next': 'Use it at “Sign in with a temporary access pass” and set up new methods right away.',
  'org.mail.tap.action': 'Sign in with a temporary access pass',

  // The invitation email (src/organisations/invitations.ts).
  'org.mail.invite.subject': '{org} invites you to Mamori',
  'org.mail.invite.body': '{org} invites {email} to join its organisation on Mamori, with the role “{role}”.',
  'org.mail.invite.next':
    'Open the link within {days, plural, one {# day} other {# days}}, sign in or sign up with this address ({email}) and accept the invitation.',
  'org.mail.invite.action': 'See the invitation',
  'org.mail.invite.not_expected':
    'If you do not know {org}, ignore this email: nothing happens unless you accept.',

  // Pages (src/organisations/http/action-routes.tsx, tap-routes.tsx).
  'org.action.page_title': 'Member',
  'org.action.role': 'Role',
  'org.action.flag.reregister': 'Must set up new methods at the next sign-in.',
  'org.action.flag.password': 'Must replace a temporary password at the next sign-in.',
  'org.action.two_step_on': 'Two-step verification is on.',
  'org.action.two_step_off': 'Two-step verification is off.',
  'org.action.methods': 'Methods',
  'org.action.kind.email': 'Contact email addresses',
  'org.action.kind.phone': 'Phones',
  'org.action.kind.totp': 'Authenticator apps',
  'org.action.kind.passkey': 'Passkeys',
  'org.action.none': 'none',
  'org.action.pending': 'not confirmed yet',
  'org.action.back': 'Back to members',
  'org.action.back_member': 'Back to this member',
  'org.action.shown_once':
    'This is shown only now. Give it to the member in person or by phone, never by email. If it is lost, create a new one.',
  'org.action.emailed':
    'We emailed the member at their sign-in address and their confirmed contact addresses.',
  'org.action.reregister.title': 'Require new methods',
  'org.action.reregister.lead':
    'Removes their phones and authenticator apps (email addresses and passkeys stay). At their next sign-in they set up new methods. Use it when a phone was lost or replaced.',
  'org.action.reregister.submit': 'Remove phones and apps, require new methods',
  'org.action.reregister.done_title': 'New methods required',
  'org.action.reregister.done':
    'We removed {phones, plural, =0 {no phone} one {# phone} other {# phones}} and {apps, plural, =0 {no authenticator app} one {# authenticator app} other {# authenticator apps}}. The member sets up new methods at their next sign-in. Their sessions were not ended.',
  'org.action.sessions.title': 'Sign out everywhere',
  'org.action.sessions.lead':
    'Ends all their sessions and removes their trusted devices at once. They sign in again with their password and second step.',
  'org.action.sessions.submit': 'Sign out everywhere',
  'org.action.sessions.done_title': 'Signed out everywhere',
  'org.action.sessions.done':
    'We ended {sessions, plural, =0 {no session} one {# session} other {# sessions}} and removed {devices, plural, =0 {no trusted device} one {# trusted device} other {# trusted devices}}.',
  'org.action.password.title': 'Reset the password',
  'org.action.password.lead':
    'Replaces their password with a temporary one that you give them, and signs them out everywhere. At their next sign-in they choose a new password.',
  'org.action.password.submit': 'Create a temporary password',
  'org.action.password.done_title': 'Temporary password',
  'org.action.password.done':
    "The member's password is now this temporary one. We ended {sessions, plural, =0 {no session} one {# session} other {# sessions}}. At their next sign-in they must choose a new password.",
  'org.action.contact.title': 'Add a contact for them',
  'org.action.contact.lead':
    'Adds an email address or a mobile number to their security info, not confirmed. It counts only after the member confirms it with a code.',
  'org.action.contact.email': 'Email address',
  'org.action.contact.add_email': 'Add this email address',
  'org.action.contact.add_phone': 'Add this mobile number',
  'org.action.contact.done_title': 'Contact added, waiting for the member',
  'org.action.contact.done':
    "We added {method} to the member's security info. It does not count until the member confirms it with a code.",
  'org.tap.title': 'Temporary access pass',
  'org.tap.lead':
    'A pass for a member who cannot sign in with their methods (a lost phone). With it they sign in and set up new methods right away. A new pass replaces the old one.',
  'org.tap.none': 'No pass is active.',
  'org.tap.current_one_time': 'A one-time pass is active until {until}.',
  'org.tap.current_multi': 'A pass is active until {until} (usable more than once).',
  'org.tap.revoke': 'Revoke the pass',
  'org.tap.length': 'Length (characters)',
  'org.tap.length_hint': '{min} to {max} characters.',
  'org.tap.lifetime': 'Valid for',
  'org.tap.one_time': 'One-time (it stops working after one sign-in)',
  'org.tap.submit': 'Create a pass',
  'org.tap.minutes': '{count, plural, one {# minute} other {# minutes}}',
  'org.tap.hours': '{count, plural, one {# hour} other {# hours}}',
  'org.tap.days': '{count, plural, one {# day} other {# days}}',
  'org.tap.done_title': 'Temporary access pass',
  'org.tap.done_one_time': 'This one-time pass works until {until}, for one sign-in.',
  'org.tap.done_multi': 'This pass works until {until}, for any number of sign-ins.',
  'org.tap.done_where':
    'The member signs in with it at “Sign in with a temporary access pass” on the sign-in page.',
  'org.tap.revoked_title': 'Pass revoked',
  'org.tap.revoked': 'The pass no longer works.',
  'org.tap.revoked_none': 'There was no pass to revoke.',
  'org.tap.signin.link': 'Sign in with a temporary access pass',
  'org.tap.signin.title': 'Sign in with a temporary access pass',
  'org.tap.signin.lead':
    "Your organisation's administrator gave you a pass because you cannot use your usual methods. After signing in you set up new methods.",
  'org.tap.signin.pass': 'Temporary access pass',
  'org.tap.signin.pass_hint': 'Letters and digits, as your administrator gave it.',
  'org.tap.signin.submit': 'Sign in',
  'org.tap.signin.back': 'Sign in with your password instead',
  'org.invite.title': 'Invitations',
  'org.invite.lead':
    'Invite an address to your organisation. The link in the email works for {days} days; a new invitation to the same address replaces the old one.',
  'org.invite.email': 'Email address',
  'org.invite.role': 'Role',
  'org.invite.submit': 'Send the invitation',
  'org.invite.sent': 'The invitation was sent.',
  'org.action.confirm': 'I understand this applies to {name} at once and cannot be undone',
  'org.invite.revoked': 'The invitation was withdrawn: its link no longer works.',
  'org.invite.open': 'Open invitations',
  'org.invite.none': 'No open invitations.',
  'org.invite.until': 'valid until {until}',
  'org.invite.revoke': 'Withdraw',
  'org.invite.join_title': 'Invitation to an organisation',
  'org.invite.join_lead': '{org} invites {email} to join, with the role “{role}”.',
  'org.invite.join_sign_in': 'Sign in, or sign up, with {email} to accept.',
  'org.invite.sign_in': 'Sign in',
  'org.invite.sign_up': 'Create an account',
  'org.invite.accept': 'Accept and join',
  'org.invite.other_address':
    'This invitation is for a different address ({email}). Sign out and sign in with that address to accept it.',
  'org.invite.joined_title': 'You joined the organisation',
  'org.invite.joined': 'You joined the organisation with the role “{role}”.',
  'org.invite.continue': 'Go to my security info',
  'org.newpw.title': 'Choose a new password',
  'org.newpw.lead':
    "Your organisation's administrator gave you a temporary password. Choose a new password of your own to continue.",
  'org.newpw.submit': 'Save the new password',
} as const;

export const orgActionsJa: Record<keyof typeof orgActionsEn, string> = {
  'messages.kind.org_reregister_required': '組織からの認証方法の再登録のお願い',
  'messages.kind.org_sessions_revoked': '組織によるすべてのデバイスでのサインアウト',
  'messages.kind.org_password_reset': '組織によるパスワードのリセット',
  'messages.kind.org_contact_added': '組織によるセキュリティ情報への連絡先の追加',
  'messages.kind.org_tap_created': '組織からの一時アクセスパスの発行',
  'messages.kind.org_invitation': '組織への招待',

  'org.mail.not_expected': '心当たりがない場合は、{contact} に連絡してください。',
  'org.mail.reregister.subject': '{org} から、認証方法の再登録を求められました',
  'org.mail.reregister.body':
    '{time}、{org} の管理者が、あなたの Mamori アカウントから電話番号と認証アプリを削除し、認証方法の再登録を求めました。メールアドレスとパスキーはそのまま残っています。',
  'org.mail.reregister.next': '次にサインインしたときに、新しい認証方法の追加をご案内します。',
  'org.mail.reregister.action': 'セキュリティ情報を開く',
  'org.mail.sessions.subject': '{org} により、すべてのデバイスでサインアウトされました',
  'org.mail.sessions.body':
    '{time}、{org} の管理者が、あなたのすべてのセッションを終了し、信頼済みのデバイスを解除しました。',
  'org.mail.sessions.next': 'パスワードと 2段階認証で、もう一度サインインしてください。',
  'org.mail.sessions.action': 'サインイン',
  'org.mail.password.subject': '{org} があなたの Mamori のパスワードをリセットしました',
  'org.mail.password.body':
    '{time}、{org} の管理者があなたのパスワードを一時パスワードに置き換え、すべてのデバイスでサインアウトしました。一時パスワードは管理者から伝えられます。Mamori がメールで送ることはありません。',
  'org.mail.password.next': '一時パスワードでサインインすると、新しいパスワードの設定を求められます。',
  'org.mail.password.action': 'サインイン',
  'org.mail.contact.subject': '{org} があなたのセキュリティ情報に {method} を追加しました',
  'org.mail.contact.body':
    '{time}、{org} の管理者があなたのセキュリティ情報に {method} を追加しました。あなたが確認するまでは使われません。',
  'org.mail.contact.next':
    'セキュリティ情報を開き、コードを送って確認してください。あなたのものでなければ削除してください。',
  'org.mail.contact.action': 'セキュリティ情報を開く',
  'org.mail.tap.subject': '{org} から一時アクセスパスが発行されました',
  'org.mail.tap.body':
    '{time}、{org} の管理者があなたのアカウントの一時アクセスパスを発行しました。有効期限は {until} です。パスは管理者から伝えられます。Mamori がメールで送ることはありません。',
  'org.mail.tap.next': '「一時アクセスパスでサインイン」から使い、すぐに新しい認証方法を登録してください。',
  'org.mail.tap.action': '一時アクセスパスでサインイン',

  'org.mail.invite.subject': '{org} から Mamori への招待が届きました',
  'org.mail.invite.body': '{org} から、{email} を {role} として Mamori の組織に招待しています。',
  'org.mail.invite.next':
    '{days}日以内にリンクを開き、このメールアドレス（{email}）でサインインまたは新規登録して、招待を受けてください。',
  'org.mail.invite.action': '招待を確認する',
  'org.mail.invite.not_expected':
    '{org} に心当たりがない場合は、このメールを無視してください。招待を受けない限り、何も起きません。',

  'org.action.page_title': 'メンバー',
  'org.action.role': '役割',
  'org.action.flag.reregister': '次のサインインで新しい認証方法の登録が必要です。',
  'org.action.flag.password': '次のサインインで一時パスワードの変更が必要です。',
  'org.action.two_step_on': '2段階認証はオンです。',
  'org.action.two_step_off': '2段階認証はオフです。',
  'org.action.methods': '認証方法',
  'org.action.kind.email': '連絡用メールアドレス',
  'org.action.kind.phone': '電話番号',
  'org.action.kind.totp': '認証アプリ',
  'org.action.kind.passkey': 'パスキー',
  'org.action.none': 'なし',
  'org.action.pending': '未確認',
  'org.action.back': 'メンバー一覧に戻る',
  'org.action.back_member': 'このメンバーに戻る',
  'org.action.shown_once':
    'これが表示されるのは今だけです。メールではなく、対面か電話でメンバーに伝えてください。分からなくなったら、新しく作り直してください。',
  'org.action.emailed':
    'メンバーのサインイン用メールアドレスと確認済みの連絡先に、メールでお知らせしました。',
  'org.action.reregister.title': '認証方法の再登録を求める',
  'org.action.reregister.lead':
    '電話番号と認証アプリを削除します（メールアドレスとパスキーは残ります）。次のサインインで新しい認証方法を登録してもらいます。電話をなくしたときや機種変更のときに使います。',
  'org.action.reregister.submit': '電話番号と認証アプリを削除し、再登録を求める',
  'org.action.reregister.done_title': '再登録を求めました',
  'org.action.reregister.done':
    '電話番号を {phones} 件、認証アプリを {apps} 件削除しました。メンバーは次のサインインで新しい認証方法を登録します。セッションは終了していません。',
  'org.action.sessions.title': 'すべてのデバイスでサインアウトさせる',
  'org.action.sessions.lead':
    'すべてのセッションを終了し、信頼済みのデバイスをすぐに解除します。メンバーはパスワードと 2段階認証でサインインし直します。',
  'org.action.sessions.submit': 'すべてのデバイスでサインアウトさせる',
  'org.action.sessions.done_title': 'すべてのデバイスでサインアウトさせました',
  'org.action.sessions.done':
    'セッションを {sessions} 件終了し、信頼済みのデバイスを {devices} 台解除しました。',
  'org.action.password.title': 'パスワードをリセットする',
  'org.action.password.lead':
    'パスワードを、あなたが伝える一時パスワードに置き換え、すべてのデバイスでサインアウトさせます。次のサインインで新しいパスワードを決めてもらいます。',
  'org.action.password.submit': '一時パスワードを作る',
  'org.action.password.done_title': '一時パスワード',
  'org.action.password.done':
    'メンバーのパスワードは、この一時パスワードになりました。セッションを {sessions} 件終了しました。次のサインインで新しいパスワードの設定が必要です。',
  'org.action.contact.title': '連絡先を代わりに追加する',
  'org.action.contact.lead':
    'メールアドレスか携帯電話番号を、未確認のままセキュリティ情報に追加します。メンバーがコードで確認するまでは使われません。',
  'org.action.contact.email': 'メールアドレス',
  'org.action.contact.add_email': 'このメールアドレスを追加',
  'org.action.contact.add_phone': 'この携帯電話番号を追加',
  'org.action.contact.done_title': '連絡先を追加しました（メンバーの確認待ち）',
  'org.action.contact.done':
    'メンバーのセキュリティ情報に {method} を追加しました。メンバーがコードで確認するまでは使われません。',
  'org.tap.title': '一時アクセスパス',
  'org.tap.lead':
    'いつもの認証方法でサインインできないメンバー（電話をなくしたなど）のためのパスです。これでサインインし、すぐに新しい認証方法を登録してもらいます。新しいパスを作ると、前のパスは使えなくなります。',
  'org.tap.none': '有効なパスはありません。',
  'org.tap.current_one_time': '1回だけ使えるパスが {until} まで有効です。',
  'org.tap.current_multi': '何度でも使えるパスが {until} まで有効です。',
  'org.tap.revoke': 'パスを取り消す',
  'org.tap.length': '長さ（文字数）',
  'org.tap.length_hint': '{min}〜{max} 文字。',
  'org.tap.lifetime': '有効期間',
  'org.tap.one_time': '1回だけ使える（1回サインインすると使えなくなります）',
  'org.tap.submit': 'パスを作る',
  'org.tap.minutes': '{count}分',
  'org.tap.hours': '{count}時間',
  'org.tap.days': '{count}日',
  'org.tap.done_title': '一時アクセスパス',
  'org.tap.done_one_time': 'このパスは {until} まで、1回だけサインインに使えます。',
  'org.tap.done_multi': 'このパスは {until} まで、何度でもサインインに使えます。',
  'org.tap.done_where': 'メンバーは、サインイン画面の「一時アクセスパスでサインイン」から使います。',
  'org.tap.revoked_title': 'パスを取り消しました',
  'org.tap.revoked': 'このパスはもう使えません。',
  'org.tap.revoked_none': '取り消すパスはありませんでした。',
  'org.tap.signin.link': '一時アクセスパスでサインイン',
  'org.tap.signin.title': '一時アクセスパスでサインイン',
  'org.tap.signin.lead':
    'いつもの認証方法が使えないため、組織の管理者からパスが渡されています。サインインしたら、新しい認証方法を登録します。',
  'org.tap.signin.pass': '一時アクセスパス',
  'org.tap.signin.pass_hint': '管理者から伝えられたとおりの英数字を入力してください。',
  'org.tap.signin.submit': 'サインイン',
  'org.tap.signin.back': 'パスワードでサインインする',
  'org.invite.title': '招待',
  'org.invite.lead':
    'メールアドレスを組織に招待します。メールのリンクは {days}日間有効です。同じメールアドレスをもう一度招待すると、前の招待は使えなくなります。',
  'org.invite.email': 'メールアドレス',
  'org.invite.role': '役割',
  'org.invite.submit': '招待を送る',
  'org.invite.sent': '招待を送りました。',
  'org.action.confirm': '{name} さんにすぐ適用され、元に戻せないことを確認しました',
  'org.invite.revoked': '招待を取り消しました。リンクはもう使えません。',
  'org.invite.open': '受けられていない招待',
  'org.invite.none': '受けられていない招待はありません。',
  'org.invite.until': '{until} まで有効',
  'org.invite.revoke': '取り消す',
  'org.invite.join_title': '組織への招待',
  'org.invite.join_lead': '{org} から、{email} を {role} として招待しています。',
  'org.invite.join_sign_in': '招待を受けるには、{email} でサインインするか、新規登録してください。',
  'org.invite.sign_in': 'サインイン',
  'org.invite.sign_up': 'アカウントを作る',
  'org.invite.accept': '招待を受けて参加する',
  'org.invite.other_address':
    'この招待は別のメールアドレス（{email}）宛てです。受けるには、サインアウトしてそのメールアドレスでサインインしてください。',
  'org.invite.joined_title': '組織に参加しました',
  'org.invite.joined': '「{role}」の役割で組織に参加しました。',
  'org.invite.continue': 'セキュリティ情報へ',
  'org.newpw.title': '新しいパスワードを決める',
  'org.newpw.lead':
    '組織の管理者から一時パスワードが渡されています。続けるには、自分だけの新しいパスワードを決めてください。',
  'org.newpw.submit': '新しいパスワードを保存',
};
