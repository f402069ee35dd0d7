/** Messages of the security guarantees (issue 7), kept apart so capabilities can be built in parallel. */
export const securityEn = {
  'error.code.used':
    'This code has already been used. Wait for the next code in your authenticator app and enter that one.',

  'messages.kind.phrase_changed': 'Greeting changed',
  'security.mail.phrase_changed.subject': 'The greeting in your emails was changed',
  'security.mail.phrase_changed.body':
    'The greeting shown in every email from Mamori was changed for your account. This email still shows the greeting you had before; the next emails will show the new one.',
};

export const securityJa: Record<keyof typeof securityEn, string> = {
  'error.code.used':
    'このコードはすでに使われています。認証アプリに次のコードが表示されるのを待って、そのコードを入力してください。',

  'messages.kind.phrase_changed': 'あいさつ文の変更',
  'security.mail.phrase_changed.subject': 'メールのあいさつ文が変更されました',
  'security.mail.phrase_changed.body':
    'Mamori からのすべてのメールに表示されるあいさつ文が変更されました。このメールには変更前のあいさつ文を表示しています。次のメールからは新しいあいさつ文が表示されます。',
};
