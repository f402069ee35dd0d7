/** Messages of one capability, kept apart so capabilities can be built in parallel. */
export const noticesEn = {
  'notices.category.terms': 'Changes to the terms of service',
  'notices.category.service_end': 'End of a service',
  'notices.category.billing': 'Billing and payments',
  'notices.category.other': 'Other news about the service',
  'notices.category_hint.terms': 'When the terms of service or the privacy policy change.',
  'notices.category_hint.service_end': 'When a service or feature you may use is going to end.',
  'notices.category_hint.billing': 'Changes to prices, plans and payment methods.',
  'notices.category_hint.other': 'Other announcements, such as planned maintenance.',

  // Preferences page
  'notices.link': 'Notices we send you',
  'notices.prefs.title': 'Notices we send you',
  'notices.prefs.lead':
    'Choose which service notices you want to receive. They are sent to your sign-in address and your verified contact addresses, in your language.',
  'notices.prefs.categories': 'Service notices',
  'notices.prefs.security_title': 'Security messages',
  'notices.prefs.security_always':
    'Security messages — verification codes, and alerts when your password, security info or sign-ins change — are always sent and cannot be switched off. They protect your account.',
  'notices.prefs.save': 'Save',
  'notices.prefs.saved': 'Your choices have been saved.',

  // Unsubscribe (link in each notice)
  'notices.unsub.title': 'Stop receiving these notices',
  'notices.unsub.confirm': 'Stop receiving notices about “{category}”?',
  'notices.unsub.submit': 'Unsubscribe',
  'notices.unsub.done_title': 'You have unsubscribed',
  'notices.unsub.done': 'You will no longer receive notices about “{category}”.',
  'notices.unsub.already': 'You have already unsubscribed from notices about “{category}”.',
  'notices.unsub.security': 'Security messages about your account will still be sent.',
  'notices.unsub.manage': 'Choose which notices you receive',

  // The email
  'notices.mail.why': 'You are receiving this notice ({category}) because you have a Mamori account.',
  'notices.mail.unsubscribe': 'Stop notices about “{category}”',
  'notices.mail.preferences': 'Choose which notices you receive',
  'notices.mail.security_always':
    'Security messages about your account are always sent, whatever you choose here.',
  'messages.kind.notice': 'Service notice',

  // Operator console
  'notices.op.title': 'Service notices',
  'notices.op.lead':
    'Write a notice in Japanese and in English. Each user receives it in their language at their sign-in and verified contact addresses, unless they switched its category off. Emails go out at {rate} per minute.',
  'notices.op.new': 'Write a notice',
  'notices.op.category': 'Category',
  'notices.op.subject_ja': 'Subject (Japanese)',
  'notices.op.body_ja': 'Text (Japanese)',
  'notices.op.subject_en': 'Subject (English)',
  'notices.op.body_en': 'Text (English)',
  'notices.op.body_hint': 'Plain text. Leave a blank line between paragraphs.',
  'notices.op.create': 'Save as a draft',
  'notices.op.list': 'Notices',
  'notices.op.empty': 'No notices yet.',
  'notices.op.created': 'Written {date}',
  'notices.op.status.draft': 'Draft',
  'notices.op.status.sending': 'Sending',
  'notices.op.status.sent': 'Sent',
  'notices.op.delivered': '{count} emails sent so far',
  'notices.op.preview': 'Preview',
  'notices.op.send': 'Send to every user',
  'notices.op.send_hint': 'Once started, sending cannot be stopped from here. Check both languages first.',
  'notices.op.admin_only': 'Only administrators can send notices.',
  'notices.op.back': 'All notices',
} as const;

export const noticesJa: Record<keyof typeof noticesEn, string> = {
  'notices.category.terms': '利用規約の変更',
  'notices.category.service_end': 'サービスの終了',
  'notices.category.billing': '料金・お支払い',
  'notices.category.other': 'その他のお知らせ',
  'notices.category_hint.terms': '利用規約やプライバシーポリシーが変わるときにお知らせします。',
  'notices.category_hint.service_end': 'ご利用中のサービスや機能が終了するときにお知らせします。',
  'notices.category_hint.billing': '料金・プラン・お支払い方法の変更をお知らせします。',
  'notices.category_hint.other': 'メンテナンスの予定など、そのほかのお知らせです。',

  'notices.link': 'お知らせの受信設定',
  'notices.prefs.title': 'お知らせの受信設定',
  'notices.prefs.lead':
    '受け取りたいサービスのお知らせを選んでください。お知らせは、サインイン用のアドレスと確認済みの連絡用アドレスに、設定している言語でお送りします。',
  'notices.prefs.categories': 'サービスのお知らせ',
  'notices.prefs.security_title': 'セキュリティに関するメッセージ',
  'notices.prefs.security_always':
    '確認コードや、パスワード・セキュリティ情報の変更、サインインに関する通知など、セキュリティに関するメッセージはアカウントを守るためのものなので、停止することはできません。',
  'notices.prefs.save': '保存',
  'notices.prefs.saved': '設定を保存しました。',

  'notices.unsub.title': 'お知らせの配信停止',
  'notices.unsub.confirm': '「{category}」のお知らせの配信を停止しますか？',
  'notices.unsub.submit': '配信を停止する',
  'notices.unsub.done_title': '配信を停止しました',
  'notices.unsub.done': '今後、「{category}」のお知らせはお送りしません。',
  'notices.unsub.already': '「{category}」のお知らせはすでに配信停止済みです。',
  'notices.unsub.security': 'アカウントのセキュリティに関するメッセージは引き続きお送りします。',
  'notices.unsub.manage': 'お知らせの受信設定を変更する',

  'notices.mail.why': 'Mamori のアカウントをお持ちの方に、このお知らせ（{category}）をお送りしています。',
  'notices.mail.unsubscribe': '「{category}」のお知らせを停止する',
  'notices.mail.preferences': 'お知らせの受信設定',
  'notices.mail.security_always':
    'アカウントのセキュリティに関するメッセージは、この設定にかかわらずお送りします。',
  'messages.kind.notice': 'サービスのお知らせ',

  'notices.op.title': 'サービスのお知らせ',
  'notices.op.lead':
    'お知らせは日本語と英語の両方で作成してください。各ユーザーには、そのカテゴリを停止していない限り、サインイン用のアドレスと確認済みの連絡用アドレスに、ユーザーの言語で届きます。配信は1分あたり{rate}通です。',
  'notices.op.new': 'お知らせを作成',
  'notices.op.category': 'カテゴリ',
  'notices.op.subject_ja': '件名（日本語）',
  'notices.op.body_ja': '本文（日本語）',
  'notices.op.subject_en': '件名（英語）',
  'notices.op.body_en': '本文（英語）',
  'notices.op.body_hint': 'プレーンテキストで入力してください。段落の間は1行空けてください。',
  'notices.op.create': '下書きとして保存',
  'notices.op.list': 'お知らせ一覧',
  'notices.op.empty': 'お知らせはまだありません。',
  'notices.op.created': '作成日時：{date}',
  'notices.op.status.draft': '下書き',
  'notices.op.status.sending': '配信中',
  'notices.op.status.sent': '配信済み',
  'notices.op.delivered': 'これまでに{count}通を送信',
  'notices.op.preview': 'プレビュー',
  'notices.op.send': '全ユーザーに配信する',
  'notices.op.send_hint':
    '配信を開始すると、この画面からは止められません。先に両方の言語の内容をご確認ください。',
  'notices.op.admin_only': 'お知らせを配信できるのは管理者だけです。',
  'notices.op.back': 'お知らせ一覧へ',
};
