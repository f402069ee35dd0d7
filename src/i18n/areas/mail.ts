/**
 * The words every email shares: the greeting, the personal phrase line, the "when and where" line, the "if
 * this was not you" advice and the safety footer (src/notifications/layout.tsx, src/notifications/catalogue/).
 */
export const mailEn = {
  'mail.phrase': 'Your personal greeting: {phrase}',
  'mail.greeting': 'Hello {name},',
  'mail.reset_action': 'Reset your password',
  'mail.not_you_changed':
    'If this was not you, someone else knows your password and has changed it, so your old password no longer works: reset it now with “Reset your password” below, then check your security info.',
  'mail.not_you_reset':
    'If this was not you, someone received a code at your security info and set a new password: reset it again now with “Reset your password” below, then remove any address or phone number you no longer control.',
  'mail.not_you_recovery_used':
    'If this was not you, someone has used your recovery code: reset your password now with “Reset your password” below, then create a new recovery code (the one made just now was shown to whoever used yours).',
  'mail.when_where': 'When: {time} · IP address: {ip}',
  'mail.not_you':
    'If this was not you, someone else is using your account: sign in, change your password and check your security info at once.',
  'mail.review_action': 'Review your security info',
  'mail.footer.never_ask':
    'Mamori never asks for your password or codes by email. Do not reply to this message.',
  'mail.footer.reference': 'Message reference: {reference}',
  'mail.footer.team': 'The Mamori account team',
  'mail.link_line': '{label}: {url}',
} as const;

export const mailJa: Record<keyof typeof mailEn, string> = {
  'mail.phrase': 'あなたのあいさつ文：{phrase}',
  'mail.greeting': '{name} 様',
  'mail.reset_action': 'パスワードを再設定する',
  'mail.not_you_changed':
    '心当たりがない場合は、第三者があなたのパスワードを知っていて変更したため、以前のパスワードではサインインできません。すぐに下の「パスワードを再設定する」から再設定し、セキュリティ情報を確認してください。',
  'mail.not_you_reset':
    '心当たりがない場合は、第三者がセキュリティ情報に届いたコードを使って新しいパスワードを設定しました。すぐに下の「パスワードを再設定する」からもう一度再設定し、使っていないメールアドレスや電話番号を削除してください。',
  'mail.not_you_recovery_used':
    '心当たりがない場合は、第三者があなたの回復コードを使いました。すぐに下の「パスワードを再設定する」からパスワードを再設定し、回復コードを作り直してください（今回作られた回復コードは、使った人に表示されています）。',
  'mail.when_where': '日時：{time}／IP アドレス：{ip}',
  'mail.not_you':
    '心当たりがない場合は、第三者がアカウントを使っているおそれがあります。すぐにサインインしてパスワードを変更し、セキュリティ情報を確認してください。',
  'mail.review_action': 'セキュリティ情報を確認する',
  'mail.footer.never_ask':
    'Mamori がメールでパスワードや確認コードを尋ねることはありません。このメールには返信しないでください。',
  'mail.footer.reference': 'メッセージ参照番号：{reference}',
  'mail.footer.team': 'Mamori アカウント チーム',
  'mail.link_line': '{label}：{url}',
};
