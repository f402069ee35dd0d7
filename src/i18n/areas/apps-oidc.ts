/** Texts of the apps capability (apps-oidc): the OpenID Connect provider's interaction pages (sign in to an app, consent). */
export const appsOidcEn = {
  'oidc.consent.title': 'Sign in to {app}',
  'oidc.consent.lead': '{app} asks to sign you in with your Mamori account.',
  'oidc.consent.as': 'Signed in to Mamori as {name} ({email}).',
  'oidc.consent.not_you':
    'Not you? Sign out at the top of this page, then go back to {app} and sign in again with your own account.',
  'oidc.consent.asks': '{app} will be able to:',
  'oidc.consent.scope.openid':
    'Know it is you when you come back (an identifier of your account, never your password)',
  'oidc.consent.scope.email': 'See your email address ({email})',
  'oidc.consent.scope.profile': 'See your name, language and time zone',
  'oidc.consent.scope.phone': 'See your phone number, if you have confirmed one',
  'oidc.consent.scope.offline_access': 'Stay signed in to {app} while you are away',
  'oidc.consent.remembered':
    'Mamori remembers your answer: the next time, {app} signs you in without asking.',
  'oidc.consent.asked_each_time': '{app} runs on your device, so Mamori asks you each time it signs you in.',
  'oidc.consent.allow': 'Allow and continue',
  'oidc.consent.deny': 'Do not allow',
  'oidc.consent.redirect_to': 'You will then go back to {host}.',
  'oidc.interaction.expired':
    'This sign-in request has expired or was already used. Go back to the app and start signing in again.',
  'oidc.interaction.back_home': 'Open my Mamori security page',
  'oidc.continue.title': 'Going back to the app…',
  'oidc.continue.link': 'Continue',
  'oidc.error.title': "The app's sign-in request could not be handled",
  'oidc.error.lead':
    "The app sent a request Mamori cannot accept ({error}). Nothing was shared with it. Go back to the app and try again; if it keeps happening, tell the app's team.",
  'oidc.logout.title': 'Sign out of the app?',
  'oidc.logout.lead':
    '{app} asks to end its sign-in through Mamori in this browser. Apps you signed in to from the same Mamori session are told too.',
  'oidc.logout.lead_unknown':
    'An app asks to end its sign-in through Mamori in this browser. Apps you signed in to from the same Mamori session are told too.',
  'oidc.logout.yes': 'Sign out',
  'oidc.logout.no': 'Stay signed in',
  'oidc.logout.done_title': 'You are signed out of the app',
  'oidc.logout.done':
    "The app's sign-in has ended. You are still signed in to Mamori itself in this browser; sign out there too if this is a shared computer.",
  'oidc.logout.done_action': 'Open Mamori',
} as const;

export const appsOidcJa: Record<keyof typeof appsOidcEn, string> = {
  'oidc.consent.title': '{app} にサインイン',
  'oidc.consent.lead': '{app} が Mamori アカウントでのサインインを求めています。',
  'oidc.consent.as': '{name}（{email}）として Mamori にサインインしています。',
  'oidc.consent.not_you':
    '別の方ですか？ このページ上部からサインアウトし、{app} に戻ってご自身のアカウントでサインインし直してください。',
  'oidc.consent.asks': '{app} に許可される内容：',
  'oidc.consent.scope.openid':
    '次回もあなただと分かるようにする（アカウントの識別子。パスワードは渡しません）',
  'oidc.consent.scope.email': 'メールアドレス（{email}）を見る',
  'oidc.consent.scope.profile': '表示名・言語・タイムゾーンを見る',
  'oidc.consent.scope.phone': '確認済みの電話番号があれば、それを見る',
  'oidc.consent.scope.offline_access': 'あなたが使っていない間も {app} へのサインインを続ける',
  'oidc.consent.remembered': 'この回答は記憶され、次回からは確認なしで {app} にサインインします。',
  'oidc.consent.asked_each_time':
    '{app} はお使いのデバイスで動くアプリのため、サインインのたびに確認します。',
  'oidc.consent.allow': '許可して続ける',
  'oidc.consent.deny': '許可しない',
  'oidc.consent.redirect_to': 'このあと {host} に戻ります。',
  'oidc.interaction.expired':
    'このサインインの依頼は期限が切れたか、すでに使われています。アプリに戻って、もう一度サインインしてください。',
  'oidc.interaction.back_home': 'Mamori のセキュリティのページを開く',
  'oidc.continue.title': 'アプリに戻っています…',
  'oidc.continue.link': '続ける',
  'oidc.error.title': 'アプリからのサインインの依頼を処理できませんでした',
  'oidc.error.lead':
    'アプリから Mamori が受け付けられない依頼が届きました（{error}）。アプリには何も渡していません。アプリに戻ってやり直してください。繰り返し起きる場合は、アプリの運営者に知らせてください。',
  'oidc.logout.title': 'アプリからサインアウトしますか？',
  'oidc.logout.lead':
    '{app} が、このブラウザーでの Mamori を使ったサインインを終えるよう求めています。同じ Mamori のセッションからサインインした他のアプリにも知らせます。',
  'oidc.logout.lead_unknown':
    'アプリが、このブラウザーでの Mamori を使ったサインインを終えるよう求めています。同じ Mamori のセッションからサインインした他のアプリにも知らせます。',
  'oidc.logout.yes': 'サインアウトする',
  'oidc.logout.no': 'サインインしたままにする',
  'oidc.logout.done_title': 'アプリからサインアウトしました',
  'oidc.logout.done':
    'アプリのサインインを終えました。このブラウザーでは Mamori 自体にはサインインしたままです。共用のパソコンなら Mamori からもサインアウトしてください。',
  'oidc.logout.done_action': 'Mamori を開く',
};
