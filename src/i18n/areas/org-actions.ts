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
  'org.mail.invite.body': '{org} invites {email} to join its organisation on Mamori as {role}.',
  'org.mail.invite.next':
    'Open the link within {days, plural, one {# day} other {# days}}, sign in or sign up with this address ({email}) and accept the invitation.',
  'org.mail.invite.action': 'See the invitation',
  'org.mail.invite.not_expected':
    'If you do not know {org}, ignore this email: nothing happens unless you accept.',
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
};
