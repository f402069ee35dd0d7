/** Messages of the organisations' error codes (kernel/errors.ts), kept apart for parallel work. */
export const orgErrorsEn = {
  'error.auth.password_change_required':
    'You signed in with a temporary password from your administrator. Choose your own password before doing anything else.',
  'error.policy.registration_required':
    'Your organisation asks you to add security info before anything else (or to put it off, where that is allowed).',
  'error.org.not_found': 'That organisation was not found.',
  'error.org.forbidden': 'Your role in the organisation does not allow this. Ask an organisation admin.',
  'error.org.two_step_required':
    'Organisation administration needs two-step verification. Turn it on in your security info, then sign in again.',
  'error.org.target_forbidden':
    'You cannot do this to that account: it is yours, it is outside your organisation, or its role is higher than yours.',
  'error.org.name_invalid': 'Enter a name of 1 to 100 characters.',
  'error.org.contact_invalid': 'Enter whom members should contact, in 200 characters or fewer.',
  'error.org.domain_invalid': 'Enter a domain name such as example.co.jp.',
  'error.org.domain_taken': 'That domain already belongs to an organisation.',
  'error.org.already_member': 'That account already belongs to an organisation.',
  'error.org.not_member': 'That account is not a member of this organisation.',
  'error.org.role_invalid': 'Choose one of the roles listed.',
  'error.org.last_admin': 'The organisation must keep at least one organisation admin.',
  'error.org.invitation_invalid':
    'This invitation is not valid: it was used, withdrawn or has expired. Ask your administrator for a new one.',
  'error.org.policy_invalid': 'Some settings are not valid. Check the fields marked below.',
  'error.org.policy_conflict':
    'Someone else saved the policy while you were editing it. Review the current settings and save again.',
  'error.org.token_invalid': 'The API token is not valid or was revoked.',
  'error.org.token_name_invalid': 'Enter a name of 1 to 100 characters for the token.',
  'error.org.tap_invalid': 'Choose a length of 8 to 48 characters and a lifetime of 10 minutes to 30 days.',
  'error.policy.method_not_allowed': 'Your organisation does not allow this kind of method ({method}).',
  'error.policy.country_not_allowed':
    'Your organisation allows text messages only to numbers in: {countries}. Add a number from one of those countries.',
  'error.policy.method_required':
    'Your organisation requires this method: add another one that meets its policy first, then remove this one.',
  'error.policy.snooze_unavailable': 'You cannot put this off any longer: your organisation requires it now.',
  'error.policy.reset_methods':
    'Your organisation needs two of your methods to reset your password, and this account does not have enough. Contact {contact}.',
} as const;

export const orgErrorsJa: Record<keyof typeof orgErrorsEn, string> = {
  'error.auth.password_change_required':
    '管理者が発行した一時パスワードでサインインしています。ほかの操作の前に、ご自身のパスワードを設定してください。',
  'error.policy.registration_required':
    '組織のポリシーにより、先にセキュリティ情報の追加が必要です（延期できる場合は延期もできます）。',
  'error.org.not_found': 'その組織は見つかりません。',
  'error.org.forbidden': '組織でのあなたの役割では、この操作はできません。組織の管理者に依頼してください。',
  'error.org.two_step_required':
    '組織の管理には2段階認証が必要です。セキュリティ情報で2段階認証をオンにしてから、サインインし直してください。',
  'error.org.target_forbidden':
    'そのアカウントにはこの操作ができません。ご自身のアカウント、組織外のアカウント、またはあなたより上位の役割のアカウントです。',
  'error.org.name_invalid': '名前は 1～100 文字で入力してください。',
  'error.org.contact_invalid': 'メンバーの問い合わせ先を 200 文字以内で入力してください。',
  'error.org.domain_invalid': 'example.co.jp のようなドメイン名を入力してください。',
  'error.org.domain_taken': 'そのドメインはすでに別の組織に登録されています。',
  'error.org.already_member': 'そのアカウントはすでにいずれかの組織に所属しています。',
  'error.org.not_member': 'そのアカウントはこの組織のメンバーではありません。',
  'error.org.role_invalid': '一覧にある役割から選んでください。',
  'error.org.last_admin': '組織には少なくとも 1 人の組織管理者が必要です。',
  'error.org.invitation_invalid':
    'この招待は使えません。使用済み、取り消し済み、または有効期限切れです。管理者に新しい招待を依頼してください。',
  'error.org.policy_invalid': '正しくない設定があります。表示された項目を確認してください。',
  'error.org.policy_conflict':
    '編集中に別の管理者がポリシーを保存しました。現在の設定を確認してから、もう一度保存してください。',
  'error.org.token_invalid': 'API トークンが正しくないか、取り消されています。',
  'error.org.token_name_invalid': 'トークンの名前を 1～100 文字で入力してください。',
  'error.org.tap_invalid': '長さは 8～48 文字、有効期間は 10 分～30 日の範囲で指定してください。',
  'error.policy.method_not_allowed': 'この種類の方法（{method}）は、組織のポリシーで許可されていません。',
  'error.policy.country_not_allowed':
    '組織のポリシーでは、SMS を送れるのは次の国の番号だけです：{countries}。これらの国の番号を追加してください。',
  'error.policy.method_required':
    'この方法は組織のポリシーで必要です。先にポリシーを満たす別の方法を追加してから、削除してください。',
  'error.policy.snooze_unavailable': 'これ以上延期できません。組織のポリシーにより、今すぐ登録が必要です。',
  'error.policy.reset_methods':
    'この組織では、パスワードのリセットに 2 つの方法での確認が必要ですが、このアカウントには足りません。{contact} に連絡してください。',
} as const;
