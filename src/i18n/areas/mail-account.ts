/** The words of the security emails about an account (src/notifications/catalogue/account.ts). */
export const mailAccountEn = {
  'mail.recovery_code_created.body_first': 'A recovery code was created for your Mamori account.',
  'mail.signup_exists.subject': 'Someone tried to create an account with your address',
  'mail.signup_exists.body':
    'Someone tried to create a new Mamori account with this email address, which already has an account. No new account was created.',
  'mail.signup_exists.ignore':
    'If it was you, sign in instead, or reset your password if you have forgotten it. If it was not you, you do not need to do anything.',
  'mail.signup_exists.action': 'Reset your password',
  'mail.method_added.subject': 'New security info was added to your account',
  'mail.method_added.body': 'New security info was added to your Mamori account: {method}.',
  'mail.method_removed.subject': 'Security info was removed from your account',
  'mail.method_removed.body': 'Security info was removed from your Mamori account: {method}.',
  'mail.password_changed.subject': 'Your password was changed',
  'mail.password_changed.body': 'The password of your Mamori account was changed.',
  'mail.password_reset.subject': 'Your password was reset',
  'mail.password_reset.body':
    'The password of your Mamori account was reset, and everyone who was signed in was signed out.',
  'mail.two_step_on.subject': 'Two-step verification was turned on',
  'mail.two_step_on.body':
    'Two-step verification was turned on for your Mamori account. Signing in on a new device now needs a second proof.',
  'mail.two_step_off.subject': 'Two-step verification was turned off',
  'mail.two_step_off.body': 'Two-step verification was turned off for your Mamori account.',
  'mail.recovery_code_created.subject': 'A recovery code was created',
  'mail.recovery_code_created.body':
    'A new recovery code was created for your Mamori account. The previous one no longer works.',
  'mail.recovery_code_used.subject': 'Your recovery code was used',
  'mail.recovery_code_used.body':
    'Your recovery code was used on your Mamori account. It no longer works; a new one was created and shown to whoever used it.',
  'mail.account_secured.subject': 'Your account was secured',
  'mail.account_secured.body':
    'The password of your Mamori account was changed, every other session was signed out and every trusted device was removed.',
  'mail.unusual_signin.subject': 'Unusual sign-in to your account',
  'mail.unusual_signin.body':
    'Someone signed in to your Mamori account with the right password from a country or device we have not seen before.',
  'mail.unusual_signin.details':
    'When: {time} · Country/region: {country} · IP address: {ip} · Device: {device}',
  'mail.unusual_signin.action': 'Review recent activity',
  'mail.unusual_signin.not_you':
    "If this wasn't you, open recent activity and choose “This wasn't me”: we will help you secure your account.",
} as const;

export const mailAccountJa: Record<keyof typeof mailAccountEn, string> = {
  'mail.recovery_code_created.body_first': 'Mamori アカウントの回復コードが作成されました。',
  'mail.signup_exists.subject': 'お使いのアドレスでアカウントの作成が試みられました',
  'mail.signup_exists.body':
    'このメールアドレスで新しい Mamori アカウントを作成する操作がありましたが、このアドレスにはすでにアカウントがあるため、新しいアカウントは作成されていません。',
  'mail.signup_exists.ignore':
    'ご本人の操作であれば、そのままサインインするか、パスワードをお忘れの場合は再設定してください。心当たりがない場合は、何もする必要はありません。',
  'mail.signup_exists.action': 'パスワードを再設定する',
  'mail.method_added.subject': 'アカウントにセキュリティ情報が追加されました',
  'mail.method_added.body': 'Mamori アカウントのセキュリティ情報に {method} が追加されました。',
  'mail.method_removed.subject': 'アカウントからセキュリティ情報が削除されました',
  'mail.method_removed.body': 'Mamori アカウントのセキュリティ情報から {method} が削除されました。',
  'mail.password_changed.subject': 'パスワードが変更されました',
  'mail.password_changed.body': 'Mamori アカウントのパスワードが変更されました。',
  'mail.password_reset.subject': 'パスワードが再設定されました',
  'mail.password_reset.body':
    'Mamori アカウントのパスワードが再設定され、サインインしていたすべてのデバイスがサインアウトされました。',
  'mail.two_step_on.subject': '2段階認証がオンになりました',
  'mail.two_step_on.body':
    'Mamori アカウントの2段階認証がオンになりました。新しいデバイスでサインインするときは、2つ目の確認が必要になります。',
  'mail.two_step_off.subject': '2段階認証がオフになりました',
  'mail.two_step_off.body': 'Mamori アカウントの2段階認証がオフになりました。',
  'mail.recovery_code_created.subject': '回復コードが作成されました',
  'mail.recovery_code_created.body':
    'Mamori アカウントの新しい回復コードが作成されました。以前の回復コードは使えなくなりました。',
  'mail.recovery_code_used.subject': '回復コードが使用されました',
  'mail.recovery_code_used.body':
    'Mamori アカウントで回復コードが使用されました。使用したコードは無効になり、新しい回復コードが作成されて、使用した人に表示されました。',
  'mail.account_secured.subject': 'アカウントが保護されました',
  'mail.account_secured.body':
    'Mamori アカウントのパスワードが変更され、ほかのすべてのセッションがサインアウトされ、信頼済みデバイスがすべて削除されました。',
  'mail.unusual_signin.subject': 'アカウントへの普段と異なるサインイン',
  'mail.unusual_signin.body':
    'これまでにない国・地域またはデバイスから、正しいパスワードで Mamori アカウントへのサインインがありました。',
  'mail.unusual_signin.details': '日時：{time}／国・地域：{country}／IP アドレス：{ip}／デバイス：{device}',
  'mail.unusual_signin.action': '最近のアクティビティを確認する',
  'mail.unusual_signin.not_you':
    '心当たりがない場合は、最近のアクティビティで「自分ではない」を選んでください。アカウントを保護する手順をご案内します。',
};
