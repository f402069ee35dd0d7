/** Messages of the HTTP edges (framework errors) and of the operators' second factor. */
export const edgesEn = {
  'error.request.malformed': 'The request could not be read.',
  'error.request.confirmation_required':
    'Nothing was done yet: tick the box to confirm, then press the button again.',
  'error.request.uri_too_long': 'This address is too long.',
  'error.request.unsupported_media_type': 'This kind of content is not accepted here.',
  'error.request.method_not_allowed': 'This page cannot be used that way.',
  'error.request.timeout': 'The request took too long to arrive. Try again.',
  'error.request.headers_too_large': 'The request headers are too large.',

  'operator.enrol.title': 'Add an authenticator app',
  'operator.enrol.lead':
    'Operators sign in with their password and a code from an authenticator app. Add the app now: you will need a code from it at every sign-in.',
  'operator.code.title': 'Enter the code from your authenticator app',
  'operator.code.lead':
    'Open the authenticator app you added for the operator console and enter the 6-digit code it shows now.',
  'operator.code.submit': 'Sign in',
  'operator.restart': 'Start again',
} as const;

export const edgesJa: Record<keyof typeof edgesEn, string> = {
  'error.request.malformed': 'リクエストを読み取れませんでした。',
  'error.request.confirmation_required':
    'まだ何も実行していません。確認のチェックを入れてから、もう一度ボタンを押してください。',
  'error.request.uri_too_long': 'アドレスが長すぎます。',
  'error.request.unsupported_media_type': 'この形式のデータは受け付けていません。',
  'error.request.method_not_allowed': 'このページはその方法では利用できません。',
  'error.request.timeout': 'リクエストの受信に時間がかかりすぎました。もう一度お試しください。',
  'error.request.headers_too_large': 'リクエストのヘッダーが大きすぎます。',

  'operator.enrol.title': '認証アプリの追加',
  'operator.enrol.lead':
    'オペレーターは、パスワードと認証アプリのコードでサインインします。いま認証アプリを追加してください。今後サインインするたびに、このアプリのコードが必要です。',
  'operator.code.title': '認証アプリのコードを入力',
  'operator.code.lead':
    'オペレーター コンソール用に追加した認証アプリを開き、いま表示されている6桁のコードを入力してください。',
  'operator.code.submit': 'サインイン',
  'operator.restart': '最初からやり直す',
};
