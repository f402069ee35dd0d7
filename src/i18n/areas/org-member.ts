/** Texts of the organisations capability (org-member), kept apart for parallel work. */
export const orgMemberEn = {
  'org.member.title': 'What your organisation requires',
  'org.member.lead': '{org} asks every member to protect their account with these sign-in methods.',
  'org.member.lead_reregister':
    'Your administrator at {org} removed your phones and authenticator apps and asked you to set up your methods again. Add a new method below.',
  'org.member.missing': 'Still missing',
  'org.member.need.phone': 'A mobile number (text messages)',
  'org.member.need.phishing_resistant': 'A passkey',
  'org.member.need.authenticator': 'An authenticator app or a passkey',
  'org.member.need.count':
    '{need, plural, one {At least # method} other {At least # methods}} besides your sign-in address (you have {have})',
  'org.member.need.new': "A method set up again after your administrator's request",
  'org.member.steps': 'Add these, most secure first',
  'org.member.step.passkey': 'Add a passkey',
  'org.member.step.totp': 'Add an authenticator app',
  'org.member.step.phone': 'Add a mobile number',
  'org.member.step.email': 'Add a contact email',
  'org.member.countries': 'Text messages can go only to numbers in: {countries}.',
  'org.member.snooze': '{days, plural, one {Remind me tomorrow} other {Remind me in # days}}',
  'org.member.snoozes_left':
    '{left, plural, one {You can put this off # more time.} other {You can put this off # more times.}}',
  'org.member.no_snooze': 'You cannot put this off any longer: add what is missing to continue.',
  'org.member.snoozed': 'Put off until {date}. You can add what is missing at any time.',
  'org.member.stuck':
    'Your account cannot meet this policy with the methods available to you here. Contact {contact}; you can continue for now.',
  'org.member.continue': 'Continue',
  'org.member.met': 'Your account meets what {org} requires. Thank you.',
  'org.member.nothing': 'Nothing is required of your account right now.',
  'org.member.why': 'Why this matters',
  'org.member.policy_title': "Your organisation's policy",
  'org.member.policy_min':
    '{min, plural, one {At least # sign-in method} other {At least # sign-in methods}}',
  'org.member.policy_required': 'Required: {kinds}',
  'org.member.policy_allowed': 'Allowed: {kinds}',
  'org.member.policy_met': 'Your account meets this policy.',
  'org.member.policy_unmet': 'Your account does not meet this policy yet.',
  'org.member.policy_fix': 'See what to add',
  'org.member.required_badge': 'Required by your organisation',
  'org.member.remove_refused':
    'Your organisation requires this method. Add another one that meets its policy first, then remove this one.',
  'org.member.not_allowed': 'Your organisation does not allow this kind of method.',
  'org.why.title': 'Why your sign-in methods matter',
  'org.why.lead':
    'Your password alone is not enough to keep your account safe. These short notes explain what to set up and how to stay safe.',
  'org.why.contacts_title': 'Why keep several methods',
  'org.why.contacts_body':
    'If you forget your password or lose your phone, your other methods let you prove the account is yours. With only one, losing it can lock you out, and only your administrator can help.',
  'org.why.setup_title': 'How to set them up',
  'org.why.setup_body':
    'Open “Security info” after you sign in. A passkey or an authenticator app is the safest; add a mobile number or a contact email as well so you always have a second way in.',
  'org.why.phishing_title': 'Watch out for fake messages',
  'org.why.phishing_body':
    'Trust only messages from the real sender, and type the address yourself rather than following a link. Mamori never asks you for a code by phone, and no one from your organisation needs your codes or your password.',
  'org.why.uptodate_title': 'Keep them up to date',
  'org.why.uptodate_body':
    'When you change your phone number or email, add the new one first, then remove the old one. Confirm your security info when Mamori asks.',
  'org.why.incident_title': 'If something looks wrong',
  'org.why.incident_body':
    'If you get a code you did not ask for or see a sign-in you do not recognise, use “Secure my account” at once: it ends every session and asks you for a new password. Then tell your administrator.',
  'org.why.secure': 'Secure my account',
} as const;

export const orgMemberJa: Record<keyof typeof orgMemberEn, string> = {
  'org.member.title': '組織が求めるセキュリティ設定',
  'org.member.lead': '{org} では、すべてのメンバーに次の認証方法でアカウントを守るよう求めています。',
  'org.member.lead_reregister':
    '{org} の管理者が電話番号と認証アプリを削除し、認証方法を設定し直すよう依頼しました。下から新しい方法を追加してください。',
  'org.member.missing': 'まだ足りないもの',
  'org.member.need.phone': '携帯電話番号（SMS）',
  'org.member.need.phishing_resistant': 'パスキー',
  'org.member.need.authenticator': '認証アプリまたはパスキー',
  'org.member.need.count': 'サインイン用アドレスとは別の認証方法を {need} 個以上（現在 {have} 個）',
  'org.member.need.new': '管理者の依頼のあとに設定し直した認証方法',
  'org.member.steps': '追加するもの（安全性の高い順）',
  'org.member.step.passkey': 'パスキーを追加する',
  'org.member.step.totp': '認証アプリを追加する',
  'org.member.step.phone': '携帯電話番号を追加する',
  'org.member.step.email': '連絡用メールアドレスを追加する',
  'org.member.countries': 'SMS を送れるのは次の国の番号だけです：{countries}',
  'org.member.snooze': '{days} 日後に再度確認する',
  'org.member.snoozes_left': 'あと {left} 回まで延期できます。',
  'org.member.no_snooze': 'これ以上延期できません。続けるには、足りないものを追加してください。',
  'org.member.snoozed': '{date} まで延期しました。足りないものはいつでも追加できます。',
  'org.member.stuck':
    'ここで使える認証方法では、アカウントがこのポリシーを満たせません。{contact} に連絡してください。今回はこのまま続けられます。',
  'org.member.continue': '続ける',
  'org.member.met': 'アカウントは {org} の求める設定を満たしています。ありがとうございます。',
  'org.member.nothing': '現在、アカウントに求められている設定はありません。',
  'org.member.why': 'なぜ大切なのか',
  'org.member.policy_title': '組織のポリシー',
  'org.member.policy_min': '認証方法を {min} 個以上',
  'org.member.policy_required': '必須：{kinds}',
  'org.member.policy_allowed': '使える方法：{kinds}',
  'org.member.policy_met': 'アカウントはこのポリシーを満たしています。',
  'org.member.policy_unmet': 'アカウントはまだこのポリシーを満たしていません。',
  'org.member.policy_fix': '追加するものを見る',
  'org.member.required_badge': '組織で必須',
  'org.member.remove_refused':
    'この方法は組織のポリシーで必要です。先にポリシーを満たす別の方法を追加してから、削除してください。',
  'org.member.not_allowed': 'この種類の方法は、組織のポリシーで許可されていません。',
  'org.why.title': '認証方法が大切な理由',
  'org.why.lead':
    'パスワードだけではアカウントを十分に守れません。設定しておくことと、安全に使うためのポイントを短くまとめました。',
  'org.why.contacts_title': '認証方法を複数持つ理由',
  'org.why.contacts_body':
    'パスワードを忘れたり電話をなくしたりしても、ほかの認証方法があれば本人であることを確認できます。1 つだけだと、それを失ったときにサインインできなくなり、管理者に頼るしかなくなります。',
  'org.why.setup_title': '設定のしかた',
  'org.why.setup_body':
    'サインイン後に「セキュリティ情報」を開きます。いちばん安全なのはパスキーか認証アプリです。いつでも別の方法で入れるよう、携帯電話番号や連絡用メールアドレスも追加しておきましょう。',
  'org.why.phishing_title': '偽のメッセージに注意',
  'org.why.phishing_body':
    '信頼できるのは本物の送信元からのメッセージだけです。リンクをたどらず、アドレスは自分で入力してください。Mamori が電話で確認コードを聞くことはありません。組織の担当者があなたのコードやパスワードを必要とすることもありません。',
  'org.why.uptodate_title': '常に最新の状態に',
  'org.why.uptodate_body':
    '電話番号やメールアドレスを変えるときは、先に新しいものを追加してから古いものを削除してください。Mamori から確認を求められたら、セキュリティ情報を確認しましょう。',
  'org.why.incident_title': 'おかしいと思ったら',
  'org.why.incident_body':
    '頼んでいない確認コードが届いたり、覚えのないサインインがあったりしたら、すぐに「アカウントを保護する」を使ってください。すべてのセッションが終了し、新しいパスワードの設定を求められます。そのあと管理者に知らせてください。',
  'org.why.secure': 'アカウントを保護する',
};
