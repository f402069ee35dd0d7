/** Messages of the security guarantees (issue 7), kept apart so capabilities can be built in parallel. */
export const securityEn = {
  'error.code.used':
    'This code has already been used. Wait for the next code in your authenticator app and enter that one.',
};

export const securityJa: Record<keyof typeof securityEn, string> = {
  'error.code.used':
    'このコードはすでに使われています。認証アプリに次のコードが表示されるのを待って、そのコードを入力してください。',
};
