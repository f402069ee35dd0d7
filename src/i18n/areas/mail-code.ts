/**
 * The words of code messages (email and SMS): a subject, an intro and "not you" advice per purpose
 * (src/notifications/catalogue/code.ts).
 */
export const mailCodeEn = {
  'mail.code.signup.subject': 'Your Mamori confirmation code',
  'mail.code.signup.intro': 'Enter this code to finish creating your Mamori account.',
  'mail.code.add_email.subject': 'Verify your contact email address',
  'mail.code.add_email.intro':
    'Someone asked to add this address as security info for the Mamori account {account}. If it was you, enter this code.',
  'mail.code.add_phone.subject': 'Verify your phone number',
  'mail.code.add_phone.intro': 'Use this code to verify your phone number.',
  'mail.code.reset.subject': 'Your password reset code',
  'mail.code.reset.intro': 'Use this code to reset the password of the Mamori account {account}.',
  'mail.code.reauth.subject': 'Your code to confirm it is you',
  'mail.code.reauth.intro': 'Use this code to confirm it is you on the Mamori account {account}.',
  'mail.code.replace.subject': 'Verify your new security info',
  'mail.code.replace.intro':
    'Use this code to verify this address as new security info for the Mamori account {account}. It takes effect only after a waiting period.',
  'mail.code.recovery_form.subject': 'Verify your contact address for account recovery',
  'mail.code.recovery_form.intro':
    'Someone started an account recovery request and gave this address to receive the answer. If it was you, enter this code.',
  'mail.code.validity': 'The code is valid for {minutes} minutes and works once.',
  'mail.code.never_share': 'Never tell this code to anyone. Mamori staff will never ask for it.',
  'mail.code.secure_action': 'Secure my account',
  'mail.code.signup.not_you':
    'If you did not create a Mamori account, ignore this email: someone may have typed your address by mistake. No account is created without this code.',
  'mail.code.add_email.not_you':
    'If you did not ask for this, ignore this email: someone may have typed your address by mistake. This address is not added without the code.',
  'mail.code.add_phone.not_you':
    'If you did not ask for this, ignore this message: someone may have typed your number by mistake. It is not added without the code.',
  'mail.code.reset.not_you':
    'If you did not ask to reset your password, ignore this email and do not give the code to anyone: without it nobody can reset your password, and it stays as it is.',
  'mail.code.reauth.not_you':
    'This code is only sent to someone already signed in to your account. If you did not ask for it, someone else is signed in: use “Secure my account” below to change your password and sign everyone else out.',
  'mail.code.signin.not_you':
    'This code is only sent after the right password has been entered. If you are not signing in right now, someone else knows your password: use “Secure my account” below to change it and sign everyone else out, or reset it at {forgotUrl}.',
  'mail.code.replace.not_you':
    'If you did not ask for this, ignore this email: someone may have typed your address by mistake. Nothing changes without the code.',
  'mail.code.recovery_form.not_you':
    'If you did not ask to recover an account, ignore this email: the request does not go ahead without this code.',
  'sms.code.signup':
    'Mamori: {code} is your code to confirm your new account. Valid {minutes} min. Never share it.',
  'sms.code.add_email':
    'Mamori: {code} is your code to add this contact to your account. Valid {minutes} min. Never share it.',
  'sms.code.add_phone':
    'Mamori: {code} is your code to add this phone to your account. Valid {minutes} min. Never share it.',
  'sms.code.reset': 'Mamori: {code} is your password reset code. Valid {minutes} min. Never share it.',
  'sms.code.reauth': 'Mamori: {code} is your code to confirm it is you. Valid {minutes} min. Never share it.',
  'sms.code.signin': 'Mamori: {code} is your sign-in code. Valid {minutes} min. Never share it.',
  'sms.code.replace':
    'Mamori: {code} is your code to verify this phone as new security info. Valid {minutes} min. Never share it.',
  'sms.code.recovery_form':
    'Mamori: {code} is your code for your account recovery request. Valid {minutes} min. Never share it.',
  'mail.code.signin.subject': 'Your sign-in code',
  'mail.code.signin.intro': 'Use this code to finish signing in to the Mamori account {account}.',
} as const;

export const mailCodeJa: Record<keyof typeof mailCodeEn, string> = {
  'mail.code.signup.subject': 'Mamori の確認コード',
  'mail.code.signup.intro': 'Mamori アカウントの作成を完了するため、次のコードを入力してください。',
  'mail.code.add_email.subject': '連絡用メールアドレスの確認',
  'mail.code.add_email.intro':
    'Mamori アカウント {account} のセキュリティ情報として、このアドレスを追加する操作が行われました。ご本人の操作であれば、次のコードを入力してください。',
  'mail.code.add_phone.subject': '電話番号の確認',
  'mail.code.add_phone.intro': '電話番号を確認するため、次のコードを入力してください。',
  'mail.code.reset.subject': 'パスワード再設定のコード',
  'mail.code.reset.intro':
    'Mamori アカウント {account} のパスワードを再設定するため、次のコードを入力してください。',
  'mail.code.reauth.subject': 'ご本人確認のコード',
  'mail.code.reauth.intro':
    'Mamori アカウント {account} でご本人確認を行うため、次のコードを入力してください。',
  'mail.code.replace.subject': '新しいセキュリティ情報の確認',
  'mail.code.replace.intro':
    'Mamori アカウント {account} の新しいセキュリティ情報として、このアドレスを確認するため次のコードを入力してください。変更は待機期間の後に有効になります。',
  'mail.code.recovery_form.subject': 'アカウント回復の連絡先の確認',
  'mail.code.recovery_form.intro':
    'アカウント回復の申請で、回答の送信先としてこのアドレスが指定されました。ご本人の操作であれば、次のコードを入力してください。',
  'mail.code.validity': 'コードの有効期限は{minutes}分で、1回だけ使えます。',
  'mail.code.never_share':
    'このコードは誰にも教えないでください。Mamori のスタッフがコードを尋ねることはありません。',
  'mail.code.secure_action': 'アカウントを保護する',
  'mail.code.signup.not_you':
    '心当たりがない場合は、このメールを無視してください。どなたかがメールアドレスを誤って入力した可能性があります。このコードが入力されない限り、アカウントは作成されません。',
  'mail.code.add_email.not_you':
    '心当たりがない場合は、このメールを無視してください。どなたかがメールアドレスを誤って入力した可能性があります。このコードが入力されない限り、このアドレスは追加されません。',
  'mail.code.add_phone.not_you':
    '心当たりがない場合は、このメッセージを無視してください。どなたかが電話番号を誤って入力した可能性があります。このコードが入力されない限り、この番号は追加されません。',
  'mail.code.reset.not_you':
    'パスワードの再設定を依頼した覚えがない場合は、このメールを無視し、コードを誰にも教えないでください。このコードがなければ誰もパスワードを再設定できず、パスワードはこれまでどおりです。',
  'mail.code.reauth.not_you':
    'このコードは、アカウントにサインインしている人にしか送られません。心当たりがない場合は、第三者がサインインしています。下の「アカウントを保護する」から、パスワードを変更してほかのすべてのデバイスをサインアウトさせてください。',
  'mail.code.signin.not_you':
    'このコードは、正しいパスワードが入力されたときにしか送られません。今サインインしようとしていない場合は、第三者にパスワードを知られています。下の「アカウントを保護する」からパスワードを変更してほかのすべてのデバイスをサインアウトさせるか、{forgotUrl} からパスワードを再設定してください。',
  'mail.code.replace.not_you':
    '心当たりがない場合は、このメールを無視してください。どなたかがメールアドレスを誤って入力した可能性があります。このコードが入力されない限り、何も変わりません。',
  'mail.code.recovery_form.not_you':
    'アカウントの回復を申請した覚えがない場合は、このメールを無視してください。このコードが入力されない限り、申請は進みません。',
  'sms.code.signup':
    'Mamori：アカウント作成の確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.add_email':
    'Mamori：連絡先の追加の確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.add_phone':
    'Mamori：電話番号を登録するための確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.reset':
    'Mamori：パスワード再設定の確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.reauth':
    'Mamori：ご本人確認のコードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.signin':
    'Mamori：サインインの確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.replace':
    'Mamori：新しいセキュリティ情報の確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'sms.code.recovery_form':
    'Mamori：アカウント回復の申請の確認コードは {code} です（{minutes}分間有効）。誰にも教えないでください。',
  'mail.code.signin.subject': 'サインイン用の確認コード',
  'mail.code.signin.intro':
    'Mamori アカウント {account} へのサインインを完了するため、次のコードを入力してください。',
};
