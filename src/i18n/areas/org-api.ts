/** Texts of the organisations capability (org-api): the console's API token page. */
export const orgApiEn = {
  'org.tokens.title': 'API tokens',
  'org.tokens.lead':
    'An API token lets a program of your organisation (a provisioning script, a compliance dashboard) use the Mamori API for this organisation only. It can do what its role allows. Keep it as secret as a password.',
  'org.tokens.docs':
    'How to use the API is described in the API documentation, under organisation administration.',
  'org.tokens.list': 'Tokens',
  'org.tokens.none': 'No tokens yet.',
  'org.tokens.col.name': 'Name',
  'org.tokens.col.role': 'Role',
  'org.tokens.col.created': 'Created',
  'org.tokens.col.last_used': 'Last used',
  'org.tokens.col.state': 'State',
  'org.tokens.never_used': 'Never',
  'org.tokens.active': 'Active',
  'org.tokens.revoked': 'Revoked {time}',
  'org.tokens.revoke': 'Revoke',
  'org.tokens.revoked_done': 'The token was revoked. Programs using it can no longer use the API.',
  'org.tokens.create': 'Create a token',
  'org.tokens.name': 'Name (what it is for)',
  'org.tokens.name_hint': 'For example “HR provisioning”. Up to 100 characters.',
  'org.tokens.role': 'Role',
  'org.tokens.role_hint':
    'Reader: reads the organisation, its policy, its members and the audit log. Authentication admin: reads the organisation, its policy and its members, and acts on members and readers (re-registration, ending sessions, temporary passwords, adding contacts, temporary access passes). Organisation admin: all of that on everyone, and changes the policy, roles and invitations.',
  'org.tokens.submit': 'Create the token',
  'org.tokens.created_title': 'Your new token “{name}”',
  'org.tokens.created_warn':
    'Copy it now and store it somewhere safe: it is shown only this once. If you lose it, revoke it and create another.',
  'org.tokens.usage':
    'Programs send it with every API call, in the Authorization header (“Bearer” followed by the token).',
  'error.org.tap_not_found': 'This member has no temporary access pass.',
} as const;

export const orgApiJa: Record<keyof typeof orgApiEn, string> = {
  'org.tokens.title': 'API トークン',
  'org.tokens.lead':
    'API トークンを使うと、組織のプログラム（アカウントを準備するスクリプトや、ポリシーの達成状況を集計する画面など）が、この組織に限って Mamori の API を利用できます。できる操作はトークンの役割で決まります。パスワードと同じように秘密にしてください。',
  'org.tokens.docs': 'API の使い方は、API ドキュメントの組織の管理の項目に書かれています。',
  'org.tokens.list': 'トークンの一覧',
  'org.tokens.none': 'トークンはまだありません。',
  'org.tokens.col.name': '名前',
  'org.tokens.col.role': '役割',
  'org.tokens.col.created': '作成日時',
  'org.tokens.col.last_used': '最後に使われた日時',
  'org.tokens.col.state': '状態',
  'org.tokens.never_used': 'まだ使われていません',
  'org.tokens.active': '有効',
  'org.tokens.revoked': '取り消し済み（{time}）',
  'org.tokens.revoke': '取り消す',
  'org.tokens.revoked_done':
    'トークンを取り消しました。このトークンを使うプログラムは、もう API を利用できません。',
  'org.tokens.create': 'トークンを作成する',
  'org.tokens.name': '名前（用途）',
  'org.tokens.name_hint': '例：「人事システムの連携」。100 文字以内で入力してください。',
  'org.tokens.role': '役割',
  'org.tokens.role_hint':
    '閲覧者：組織の情報・ポリシー・メンバー・監査ログを読み取れます。認証管理者：組織の情報・ポリシー・メンバーを読み取り、メンバーと閲覧者への操作（再登録の要求、セッションの終了、一時パスワード、連絡先の追加、一時アクセスパス）ができます。組織管理者：すべてのメンバーへの操作に加えて、ポリシー・役割・招待を変更できます。',
  'org.tokens.submit': 'トークンを作成する',
  'org.tokens.created_title': '新しいトークン「{name}」',
  'org.tokens.created_warn':
    '今すぐコピーして、安全な場所に保管してください。表示されるのはこの一度だけです。なくした場合は取り消して、新しく作成してください。',
  'org.tokens.usage':
    'API を呼び出すときに、このトークンを付けて送信します（送り方は API ドキュメントを参照してください）。',
  'error.org.tap_not_found': 'このメンバーには一時アクセスパスがありません。',
};
