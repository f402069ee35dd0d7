/** Texts of the apps capability (apps-console): registering applications, webhook endpoints and signal receivers. */
export const appsConsoleEn = {
  // Errors (src/kernel/errors.ts, `apps.*`).
  'error.apps.not_found':
    'We could not find that registration. It may belong to someone else, or the link is wrong.',
  'error.apps.name_invalid': 'Enter a name of 1 to 100 characters, without invisible or control characters.',
  'error.apps.description_invalid':
    'Enter a description of up to 200 characters, without invisible or control characters.',
  'error.apps.client_type_invalid':
    'Choose whether the application is a server-side application (with a secret) or a native or browser application (without one).',
  'error.apps.redirect_uri_invalid':
    'Each redirect URI must be a complete {https} address without a fragment (#) or user name. Native apps may also use {loopback} (any port) or their own scheme such as {example}.',
  'error.apps.redirect_uris_count': 'Enter at least one redirect URI and at most 10 of each kind.',
  'error.apps.url_invalid':
    'Enter a complete {https} address (up to 2000 characters) without a fragment (#) or user name.',
  'error.apps.url_not_allowed':
    'This address points at this machine or a private network. Use an address reachable on the internet.',
  'error.apps.events_invalid': 'Choose at least one event from the list.',
  'error.apps.auth_token_invalid':
    'The token must be 16 to 512 characters of letters, digits and - . _ ~ + / (and = at the end). Leave it empty if the receiver needs none.',
  'error.apps.limit_reached': 'The limit of {limit} has been reached. Disable one you no longer use first.',
  'error.apps.disabled': 'This registration is disabled and cannot be changed.',

  // Audit logs.
  'operator.audit.action.apps.client_register': 'Registered an application',
  'operator.audit.action.apps.client_update': 'Changed an application',
  'operator.audit.action.apps.client_secret_rotate': 'Issued a new client secret',
  'operator.audit.action.apps.client_disable': 'Disabled an application',
  'operator.audit.action.apps.webhook_register': 'Registered a webhook endpoint',
  'operator.audit.action.apps.webhook_secret_rotate': 'Issued a new webhook secret',
  'operator.audit.action.apps.webhook_disable': 'Disabled a webhook endpoint',
  'operator.audit.action.apps.receiver_register': 'Registered a signal receiver',
  'operator.audit.action.apps.receiver_disable': 'Disabled a signal receiver',
  'org.audit.app.registered': 'Application registered',
  'org.audit.app.updated': 'Application changed',
  'org.audit.app.secret_rotated': 'New client secret issued',
  'org.audit.app.disabled': 'Application disabled',
  'org.audit.webhook.registered': 'Webhook endpoint registered',
  'org.audit.webhook.secret_rotated': 'New webhook secret issued',
  'org.audit.webhook.disabled': 'Webhook endpoint disabled',
  'org.audit.receiver.registered': 'Signal receiver registered',
  'org.audit.receiver.disabled': 'Signal receiver disabled',

  // Navigation.
  'apps.console.nav': 'Applications',
  'apps.console.nav_label': 'Applications',
  'apps.console.nav.clients': 'Applications',
  'apps.console.nav.webhooks': 'Webhooks',
  'apps.console.nav.deliveries': 'Delivery log',
  'apps.console.back_org': 'Organisation console',
  'apps.console.back_list': 'Back to the applications',

  // The list and registering a client.
  'apps.console.title': 'Applications',
  'apps.console.lead':
    'Applications that sign people in with Mamori (OpenID Connect). Register one to get its client ID, then give the developer the details on its page.',
  'apps.console.lead_operator':
    "Applications that sign people in with Mamori (OpenID Connect): the deployment's own and every organisation's. Applications you register here belong to the whole deployment.",
  'apps.console.list': 'Registered applications',
  'apps.console.none': 'No application is registered yet.',
  'apps.console.col.name': 'Name',
  'apps.console.col.type': 'Kind',
  'apps.console.col.client_id': 'Client ID',
  'apps.console.col.owner': 'Belongs to',
  'apps.console.col.state': 'State',
  'apps.console.owner_deployment': 'This deployment',
  'apps.console.state.active': 'Active',
  'apps.console.state.disabled': 'Disabled',
  'apps.console.type.confidential': 'Server-side (with a secret)',
  'apps.console.type.public': 'Native or browser app (no secret)',
  'apps.console.register': 'Register an application',
  'apps.console.register_lead':
    'You can change the name and the addresses later. The kind cannot be changed.',
  'apps.console.field.name': 'Name',
  'apps.console.field.name_hint': 'Shown to people when they sign in, for example “Attendance system”.',
  'apps.console.field.type': 'Kind of application',
  'apps.console.field.type_confidential_hint':
    'A web application with a server that can keep a secret. Most business applications.',
  'apps.console.field.type_public_hint':
    'A smartphone, desktop or single-page app that cannot keep a secret. It must use PKCE.',
  'apps.console.field.redirect_uris': 'Redirect URIs (one per line)',
  'apps.console.field.redirect_uris_hint':
    'Where people return after signing in, exactly as the application sends it. {https} only; native apps may also use {loopback} (any port) or their own scheme such as {example}. Up to 10.',
  'apps.console.field.post_logout': 'Addresses after signing out (optional, one per line)',
  'apps.console.field.post_logout_hint': 'Where people may return after signing out. Same rules, up to 10.',
  'apps.console.field.backchannel': 'Back-channel logout URI (optional)',
  'apps.console.field.backchannel_hint':
    "Mamori tells the application here when someone's session ends ({standard}). {https} addresses only.",
  'apps.console.submit_register': 'Register',
  'apps.console.fresh_hint':
    'Registering, issuing a secret and changing addresses ask you to confirm it is you if you have not done so in the last few minutes.',

  // Secrets shown once.
  'apps.console.secret.client_title': 'The client secret of “{name}”',
  'apps.console.secret.webhook_title': 'The signing secret of the webhook endpoint',
  'apps.console.secret.once':
    "Copy it now and keep it somewhere safe, such as the application's secret store. This is the only time it is shown: Mamori keeps it encrypted and cannot show it again.",
  'apps.console.secret.copy_hint': 'Select the whole value and copy it. It has no spaces.',
  'apps.console.secret.lost':
    'If it is lost or leaked, issue a new one on this page: the old one stops working at once.',
  'apps.console.secret.lost_webhook':
    'If it is lost or leaked, issue a new one on this page: the old one keeps signing for 24 hours so that the receiver can switch.',
  'apps.console.secret.none_public':
    'This application is a native or browser app: it has no secret and must use PKCE (S256).',

  // The client's page.
  'apps.console.detail.lead': 'What the developer needs to connect “{name}” to Mamori.',
  'apps.console.detail.developer': 'Connection details',
  'apps.console.detail.issuer': 'Issuer',
  'apps.console.detail.discovery': 'Discovery document',
  'apps.console.detail.client_id': 'Client ID',
  'apps.console.detail.type': 'Kind',
  'apps.console.detail.auth_method': 'Client authentication',
  'apps.console.detail.redirect_uris': 'Redirect URIs',
  'apps.console.detail.post_logout': 'Addresses after signing out',
  'apps.console.detail.backchannel': 'Back-channel logout URI',
  'apps.console.detail.none': 'None',
  'apps.console.detail.acr': 'To require a second factor',
  'apps.console.detail.acr_hint': 'Send {param} in the authorization request.',
  'apps.console.detail.disabled':
    'This application was disabled on {time}. People can no longer sign in to it.',
  'apps.console.edit': 'Change the name and addresses',
  'apps.console.submit_save': 'Save changes',
  'apps.console.already_sent':
    'This form had already been sent, so nothing more was done. A secret is shown only once: if you did not keep it, issue a new one.',
  'apps.console.saved': 'The changes are saved. They apply to the next sign-in.',
  'apps.console.rotate': 'Issue a new client secret',
  'apps.console.rotate_hint':
    'The current secret stops working at once: update the application right after. Use this when the secret is lost or may have leaked.',
  'apps.console.rotate_submit': 'Issue a new secret',
  'apps.console.disable': 'Disable this application',
  'apps.console.disable_hint':
    'No one can sign in to it any more and its signal receivers stop. This cannot be undone: register it again if needed.',
  'apps.console.disable_submit': 'Disable',
  'apps.console.disabled_done': 'The application is disabled.',

  // Signal receivers.
  'apps.console.receivers': 'Security event receivers',
  'apps.console.receivers_lead':
    "Addresses where Mamori sends security events about this application's users ({standard}, as Security Event Tokens).",
  'apps.console.receivers.none': 'No receiver yet.',
  'apps.console.receivers.col.url': 'Address',
  'apps.console.receivers.col.events': 'Events',
  'apps.console.receivers.col.token': 'Token',
  'apps.console.receivers.token_set': 'Set',
  'apps.console.receivers.token_none': 'None',
  'apps.console.receivers.add': 'Add a receiver',
  'apps.console.receivers.url': 'Receiver address',
  'apps.console.receivers.url_hint': '{https} address that accepts Security Event Tokens pushed as in {rfc}.',
  'apps.console.receivers.token': 'Token the receiver expects (optional)',
  'apps.console.receivers.token_hint':
    'If the receiver requires one, Mamori sends it as {header}. It is stored encrypted and never shown again.',
  'apps.console.receivers.events': 'Events to send',
  'apps.console.receivers.submit': 'Add receiver',
  'apps.console.receivers.added': 'The receiver is added.',
  'apps.console.receivers.disable': 'Disable',
  'apps.console.receivers.disabled_done': 'The receiver is disabled.',
  'apps.console.signal.session-revoked': 'Session ended',
  'apps.console.signal.credential-change': 'Password or sign-in method changed',
  'apps.console.signal.account-disabled': 'Account disabled',
  'apps.console.signal.account-enabled': 'Account enabled again',
  'apps.console.signal.recovery-activated': 'Account recovery started',
  'apps.console.signal.credential-compromise': 'Credential may be compromised',

  // Webhooks.
  'apps.console.webhooks.title': 'Webhook endpoints',
  'apps.console.webhooks.lead':
    'Addresses where Mamori sends security events as they happen, signed as in {standard} ({headers} headers).',
  'apps.console.webhooks.list': 'Registered endpoints',
  'apps.console.webhooks.none': 'No webhook endpoint is registered yet.',
  'apps.console.webhooks.col.url': 'Address',
  'apps.console.webhooks.col.description': 'Description',
  'apps.console.webhooks.col.events': 'Events',
  'apps.console.webhooks.col.state': 'State',
  'apps.console.webhooks.rotating': 'Previous secret still signs until {time}',
  'apps.console.webhooks.register': 'Register a webhook endpoint',
  'apps.console.webhooks.url': 'Endpoint address',
  'apps.console.webhooks.url_hint': '{https} address that accepts {method} requests. Up to 2000 characters.',
  'apps.console.webhooks.description': 'Description (optional)',
  'apps.console.webhooks.description_hint': 'For example “Help desk notifications”. Up to 200 characters.',
  'apps.console.webhooks.events': 'Events to send',
  'apps.console.webhooks.submit': 'Register endpoint',
  'apps.console.webhooks.rotate': 'New secret',
  'apps.console.webhooks.disable': 'Disable',
  'apps.console.webhooks.disabled_done': 'The webhook endpoint is disabled. Nothing more is sent to it.',
  'apps.console.webhooks.limit': 'Up to {limit} active endpoints.',
  'apps.console.webhook.signin.unusual': 'Unusual sign-in',
  'apps.console.webhook.password.changed': 'Password changed',
  'apps.console.webhook.password.reset': 'Password reset',
  'apps.console.webhook.method.added': 'Sign-in method added',
  'apps.console.webhook.method.removed': 'Sign-in method removed',
  'apps.console.webhook.method.verified': 'Sign-in method confirmed',
  'apps.console.webhook.two_step.on': 'Two-step verification turned on',
  'apps.console.webhook.two_step.off': 'Two-step verification turned off',
  'apps.console.webhook.account.secured': 'Account secured after a problem',
  'apps.console.webhook.replacement.started': 'Replacement of sign-in methods started',
  'apps.console.webhook.replacement.cancelled': 'Replacement of sign-in methods cancelled',
  'apps.console.webhook.replacement.completed': 'Replacement of sign-in methods completed',
  'apps.console.webhook.recovery_request.submitted': 'Recovery request submitted',
  'apps.console.webhook.recovery_request.decided': 'Recovery request decided',
  'apps.console.webhook.policy.changed': 'Organisation policy changed',
  'apps.console.webhook.admin.action': 'Action by an administrator',

  // Ways forward.
  'apps.console.deliveries_hint': 'See what was sent to webhooks and receivers, and send it again:',
  'apps.console.clients_limit': 'Up to {limit} active applications.',
  'apps.console.operator_reviewer':
    'Your role can look at applications but not change them. Ask an operator administrator.',
} as const;

export const appsConsoleJa: Record<keyof typeof appsConsoleEn, string> = {
  'error.apps.not_found':
    'その登録は見つかりませんでした。ほかの組織のものか、リンクが間違っている可能性があります。',
  'error.apps.name_invalid': '名前を 1～100 文字で入力してください。見えない文字や制御文字は使えません。',
  'error.apps.description_invalid':
    '説明は 200 文字以内で入力してください。見えない文字や制御文字は使えません。',
  'error.apps.client_type_invalid':
    'アプリの種類として、サーバー側のアプリ（シークレットあり）か、ネイティブアプリ・ブラウザーアプリ（シークレットなし）かを選んでください。',
  'error.apps.redirect_uri_invalid':
    'リダイレクト URI は {https} で始まる完全なアドレスで、フラグメント（#）やユーザー名を含まないものにしてください。ネイティブアプリは {loopback}（ポート任意）や {example} のような独自スキームも使えます。',
  'error.apps.redirect_uris_count': 'リダイレクト URI を 1 つ以上、各種類 10 個までで入力してください。',
  'error.apps.url_invalid':
    '{https} で始まる完全なアドレス（2000 文字まで）を、フラグメント（#）やユーザー名なしで入力してください。',
  'error.apps.url_not_allowed':
    'このアドレスはこのサーバー自身かプライベートネットワークを指しています。インターネットから届くアドレスを使ってください。',
  'error.apps.events_invalid': '一覧からイベントを 1 つ以上選んでください。',
  'error.apps.auth_token_invalid':
    'トークンは英数字と - . _ ~ + /（末尾に = も可）で 16～512 文字にしてください。受信側が必要としない場合は空欄のままにしてください。',
  'error.apps.limit_reached': '上限の {limit} 件に達しています。使っていないものを先に無効にしてください。',
  'error.apps.disabled': 'この登録は無効になっているため変更できません。',

  'operator.audit.action.apps.client_register': 'アプリを登録',
  'operator.audit.action.apps.client_update': 'アプリを変更',
  'operator.audit.action.apps.client_secret_rotate': 'クライアントシークレットを再発行',
  'operator.audit.action.apps.client_disable': 'アプリを無効化',
  'operator.audit.action.apps.webhook_register': 'Webhook 送信先を登録',
  'operator.audit.action.apps.webhook_secret_rotate': 'Webhook シークレットを再発行',
  'operator.audit.action.apps.webhook_disable': 'Webhook 送信先を無効化',
  'operator.audit.action.apps.receiver_register': 'シグナル受信先を登録',
  'operator.audit.action.apps.receiver_disable': 'シグナル受信先を無効化',
  'org.audit.app.registered': 'アプリを登録',
  'org.audit.app.updated': 'アプリを変更',
  'org.audit.app.secret_rotated': 'クライアントシークレットを再発行',
  'org.audit.app.disabled': 'アプリを無効化',
  'org.audit.webhook.registered': 'Webhook 送信先を登録',
  'org.audit.webhook.secret_rotated': 'Webhook シークレットを再発行',
  'org.audit.webhook.disabled': 'Webhook 送信先を無効化',
  'org.audit.receiver.registered': 'シグナル受信先を登録',
  'org.audit.receiver.disabled': 'シグナル受信先を無効化',

  'apps.console.nav': 'アプリ連携',
  'apps.console.nav_label': 'アプリ連携',
  'apps.console.nav.clients': 'アプリ',
  'apps.console.nav.webhooks': 'Webhook',
  'apps.console.nav.deliveries': '送信ログ',
  'apps.console.back_org': '組織の管理画面',
  'apps.console.back_list': 'アプリの一覧に戻る',

  'apps.console.title': 'アプリ連携',
  'apps.console.lead':
    'Mamori でサインインするアプリ（OpenID Connect）です。登録するとクライアント ID が発行されます。アプリのページにある接続情報を開発者に伝えてください。',
  'apps.console.lead_operator':
    'Mamori でサインインするアプリ（OpenID Connect）です。このサービス全体のものと、各組織のものがすべて表示されます。ここで登録したアプリはサービス全体のものになります。',
  'apps.console.list': '登録済みのアプリ',
  'apps.console.none': 'まだアプリは登録されていません。',
  'apps.console.col.name': '名前',
  'apps.console.col.type': '種類',
  'apps.console.col.client_id': 'クライアント ID',
  'apps.console.col.owner': '所属',
  'apps.console.col.state': '状態',
  'apps.console.owner_deployment': 'サービス全体',
  'apps.console.state.active': '有効',
  'apps.console.state.disabled': '無効',
  'apps.console.type.confidential': 'サーバー側のアプリ（シークレットあり）',
  'apps.console.type.public': 'ネイティブアプリ・ブラウザーアプリ（シークレットなし）',
  'apps.console.register': 'アプリを登録する',
  'apps.console.register_lead': '名前とアドレスはあとから変更できます。種類は変更できません。',
  'apps.console.field.name': '名前',
  'apps.console.field.name_hint': 'サインインのときに利用者に表示されます。例：「勤怠管理システム」',
  'apps.console.field.type': 'アプリの種類',
  'apps.console.field.type_confidential_hint':
    'シークレットを安全に保管できるサーバーを持つ Web アプリ。業務アプリの多くはこちらです。',
  'apps.console.field.type_public_hint':
    'スマートフォン、デスクトップ、シングルページのアプリなど、シークレットを保管できないもの。PKCE が必須です。',
  'apps.console.field.redirect_uris': 'リダイレクト URI（1 行に 1 つ）',
  'apps.console.field.redirect_uris_hint':
    'サインイン後に戻る先です。アプリが送るものと完全に同じ文字列で入力してください。{https} のみ使えます。ネイティブアプリは {loopback}（ポート任意）や {example} のような独自スキームも使えます。10 個まで。',
  'apps.console.field.post_logout': 'サインアウト後の戻り先（任意、1 行に 1 つ）',
  'apps.console.field.post_logout_hint': 'サインアウト後に戻ってよいアドレスです。同じ条件で 10 個まで。',
  'apps.console.field.backchannel': 'バックチャネルログアウト URI（任意）',
  'apps.console.field.backchannel_hint':
    '利用者のセッションが終わったとき、Mamori がここにお知らせします（{standard}）。{https} のアドレスのみ使えます。',
  'apps.console.submit_register': '登録する',
  'apps.console.fresh_hint':
    '登録、シークレットの発行、アドレスの変更の前に、この数分以内に確認していなければ、本人確認をお願いします。',

  'apps.console.secret.client_title': '「{name}」のクライアントシークレット',
  'apps.console.secret.webhook_title': 'Webhook 送信先の署名用シークレット',
  'apps.console.secret.once':
    '今すぐコピーして、アプリのシークレット保管場所など安全な場所に保存してください。表示されるのはこの一度だけです。Mamori は暗号化して保管しており、あとから表示することはできません。',
  'apps.console.secret.copy_hint': '値全体を選択してコピーしてください。空白は含まれません。',
  'apps.console.secret.lost':
    'なくしたり漏れたりしたときは、このページで新しいシークレットを発行してください。古いものはすぐに使えなくなります。',
  'apps.console.secret.lost_webhook':
    'なくしたり漏れたりしたときは、このページで新しいシークレットを発行してください。受信側が切り替えられるよう、古いものも 24 時間は署名に使われます。',
  'apps.console.secret.none_public':
    'このアプリはネイティブアプリ・ブラウザーアプリなので、シークレットはありません。PKCE（S256）を使う必要があります。',

  'apps.console.detail.lead': '「{name}」を Mamori につなぐために開発者が必要とする情報です。',
  'apps.console.detail.developer': '接続情報',
  'apps.console.detail.issuer': '発行者',
  'apps.console.detail.discovery': 'ディスカバリー文書',
  'apps.console.detail.client_id': 'クライアント ID',
  'apps.console.detail.type': '種類',
  'apps.console.detail.auth_method': 'クライアント認証',
  'apps.console.detail.redirect_uris': 'リダイレクト URI',
  'apps.console.detail.post_logout': 'サインアウト後の戻り先',
  'apps.console.detail.backchannel': 'バックチャネルログアウト URI',
  'apps.console.detail.none': 'なし',
  'apps.console.detail.acr': '2段階認証を必須にするには',
  'apps.console.detail.acr_hint': '認可リクエストに {param} を付けてください。',
  'apps.console.detail.disabled': 'このアプリは {time} に無効になりました。もうサインインできません。',
  'apps.console.edit': '名前とアドレスを変更する',
  'apps.console.submit_save': '変更を保存',
  'apps.console.already_sent':
    'このフォームはすでに送信済みのため、何もしていません。シークレットは一度だけ表示されます。控えていない場合は、新しいシークレットを発行してください。',
  'apps.console.saved': '変更を保存しました。次のサインインから反映されます。',
  'apps.console.rotate': 'クライアントシークレットを再発行する',
  'apps.console.rotate_hint':
    '今のシークレットはすぐに使えなくなります。発行したらすぐにアプリの設定を更新してください。シークレットをなくしたときや、漏れたおそれがあるときに使います。',
  'apps.console.rotate_submit': '新しいシークレットを発行',
  'apps.console.disable': 'このアプリを無効にする',
  'apps.console.disable_hint':
    'だれもサインインできなくなり、シグナル受信先への送信も止まります。元に戻せないので、必要になったら登録し直してください。',
  'apps.console.disable_submit': '無効にする',
  'apps.console.disabled_done': 'アプリを無効にしました。',

  'apps.console.receivers': 'セキュリティイベントの受信先',
  'apps.console.receivers_lead':
    'このアプリの利用者に関するセキュリティイベントを Mamori が送るアドレスです（{standard}）。',
  'apps.console.receivers.none': 'まだ受信先はありません。',
  'apps.console.receivers.col.url': 'アドレス',
  'apps.console.receivers.col.events': 'イベント',
  'apps.console.receivers.col.token': 'トークン',
  'apps.console.receivers.token_set': 'あり',
  'apps.console.receivers.token_none': 'なし',
  'apps.console.receivers.add': '受信先を追加する',
  'apps.console.receivers.url': '受信先のアドレス',
  'apps.console.receivers.url_hint': '{rfc} の形式でセキュリティイベントを受け取る {https} のアドレスです。',
  'apps.console.receivers.token': '受信側が求めるトークン（任意）',
  'apps.console.receivers.token_hint':
    '受信側が求める場合、Mamori は {header} として送ります。暗号化して保管し、あとから表示されることはありません。',
  'apps.console.receivers.events': '送るイベント',
  'apps.console.receivers.submit': '受信先を追加',
  'apps.console.receivers.added': '受信先を追加しました。',
  'apps.console.receivers.disable': '無効にする',
  'apps.console.receivers.disabled_done': '受信先を無効にしました。',
  'apps.console.signal.session-revoked': 'セッションの終了',
  'apps.console.signal.credential-change': 'パスワードやサインイン方法の変更',
  'apps.console.signal.account-disabled': 'アカウントの停止',
  'apps.console.signal.account-enabled': 'アカウントの再開',
  'apps.console.signal.recovery-activated': 'アカウント復旧の開始',
  'apps.console.signal.credential-compromise': '認証情報が漏れたおそれ',

  'apps.console.webhooks.title': 'Webhook 送信先',
  'apps.console.webhooks.lead':
    'セキュリティ上の出来事が起きたときに Mamori が知らせるアドレスです。{standard} の形式で署名します（{headers} ヘッダー）。',
  'apps.console.webhooks.list': '登録済みの送信先',
  'apps.console.webhooks.none': 'まだ Webhook 送信先は登録されていません。',
  'apps.console.webhooks.col.url': 'アドレス',
  'apps.console.webhooks.col.description': '説明',
  'apps.console.webhooks.col.events': 'イベント',
  'apps.console.webhooks.col.state': '状態',
  'apps.console.webhooks.rotating': '以前のシークレットも {time} まで署名に使われます',
  'apps.console.webhooks.register': 'Webhook 送信先を登録する',
  'apps.console.webhooks.url': '送信先のアドレス',
  'apps.console.webhooks.url_hint': '{method} リクエストを受け付ける {https} のアドレスです。2000 文字まで。',
  'apps.console.webhooks.description': '説明（任意）',
  'apps.console.webhooks.description_hint': '例：「ヘルプデスクへの通知」。200 文字まで。',
  'apps.console.webhooks.events': '送るイベント',
  'apps.console.webhooks.submit': '送信先を登録',
  'apps.console.webhooks.rotate': 'シークレットを再発行',
  'apps.console.webhooks.disable': '無効にする',
  'apps.console.webhooks.disabled_done': 'Webhook 送信先を無効にしました。今後は何も送られません。',
  'apps.console.webhooks.limit': '有効な送信先は {limit} 件までです。',
  'apps.console.webhook.signin.unusual': 'いつもと違うサインイン',
  'apps.console.webhook.password.changed': 'パスワードの変更',
  'apps.console.webhook.password.reset': 'パスワードの再設定',
  'apps.console.webhook.method.added': 'サインイン方法の追加',
  'apps.console.webhook.method.removed': 'サインイン方法の削除',
  'apps.console.webhook.method.verified': 'サインイン方法の確認',
  'apps.console.webhook.two_step.on': '2段階認証をオン',
  'apps.console.webhook.two_step.off': '2段階認証をオフ',
  'apps.console.webhook.account.secured': '問題のあとのアカウント保護',
  'apps.console.webhook.replacement.started': 'サインイン方法の置き換えを開始',
  'apps.console.webhook.replacement.cancelled': 'サインイン方法の置き換えを取り消し',
  'apps.console.webhook.replacement.completed': 'サインイン方法の置き換えが完了',
  'apps.console.webhook.recovery_request.submitted': '復旧の申請',
  'apps.console.webhook.recovery_request.decided': '復旧の申請への判断',
  'apps.console.webhook.policy.changed': '組織のポリシーの変更',
  'apps.console.webhook.admin.action': '管理者による操作',

  'apps.console.deliveries_hint': 'Webhook や受信先に送った内容の確認と再送はこちら：',
  'apps.console.clients_limit': '有効なアプリは {limit} 件までです。',
  'apps.console.operator_reviewer':
    'あなたの役割ではアプリを見ることはできますが、変更はできません。運用管理者に依頼してください。',
};
