/**
 * Messages about what people type (issue 8, kinds 5, 7 and 9): code formats, message references, readable
 * devices, the checkup score, the operator console. Kept apart so capabilities can be built in parallel.
 */
export const inputsEn = {
  'error.code.format': 'Enter the 6 digits of the code. Spaces and hyphens are fine.',
  'error.recovery_code.stale':
    'Nothing was changed: your recovery code had already been replaced a moment ago, and the code shown then is the one that works. If you did not keep it, make a new one below.',
  'error.recovery_code.format':
    'A recovery code has 25 letters and digits, like ABCDE-FGHJK-…. Check that you typed all of it.',
  'error.reference.invalid':
    'That is not a message reference. A reference looks like MMR-7KQ2-XH9D and is printed at the end of every email from Mamori (text messages carry none).',

  'error.operator.setup_invalid':
    'This setup link cannot be used: it was used already, it expired, or an operator exists already. While no operator exists, restarting Mamori prints a new link; otherwise ask the administrator of the server to create the operator.',
  'error.operator.name_invalid': 'Use 3 to 64 letters, digits, “.”, “_” or “-” for the operator name.',
  'error.operator.name_taken': 'An operator with this name exists already. Choose another name.',
  'operator.setup.title': 'Set up an operator',
  'operator.setup.lead':
    'This one-time link creates an operator of the console ({role}). Choose a password; at the first sign-in you add an authenticator app.',
  'operator.setup.name_hint': '3 to 64 letters, digits, “.”, “_” or “-”.',
  'operator.setup.name_fixed': 'Operator name: {name}',
  'operator.setup.password_hint': 'At least 12 characters.',
  'operator.setup.submit': 'Create the operator',
  'operator.setup.done':
    'The operator was created. Sign in now: the first sign-in adds an authenticator app.',
  'checkup.rating_sep': ' — ',
  'checkup.rating.low': 'needs attention now',
  'checkup.rating.fair': 'good, with room to improve',
  'checkup.rating.good': 'well protected',
  'notices.op.confirm_label':
    'I understand: this goes now to every user who receives “{category}” notices, and it cannot be stopped once started.',
  'notices.op.confirm_required': 'Tick the box to confirm that this notice goes to every user now.',
  'operator.decide.reason_required':
    'Write the reason for your decision (up to 1000 characters). It is kept in the audit log.',
};

export const inputsJa: Record<keyof typeof inputsEn, string> = {
  'error.code.format': 'コードは6桁の数字で入力してください。スペースやハイフンは入れても構いません。',
  'error.recovery_code.stale':
    '変更はしていません。回復コードは少し前にすでに新しくなっていて、そのとき表示されたコードが有効です。控えていない場合は、下のボタンで新しいコードを作成してください。',
  'error.recovery_code.format':
    '回復コードは英数字25文字です（例：ABCDE-FGHJK-…）。すべて入力されているか確認してください。',
  'error.reference.invalid':
    '参照番号の形式ではありません。参照番号は MMR-7KQ2-XH9D のような形で、Mamori からのメールの末尾に記載されています（SMS には記載されません）。',

  'error.operator.setup_invalid':
    'このセットアップ用リンクは使えません（使用済み、期限切れ、またはオペレーターがすでにいます）。オペレーターがいない間は、Mamori を再起動すると新しいリンクが表示されます。それ以外の場合は、サーバーの管理者にオペレーターの作成を依頼してください。',
  'error.operator.name_invalid': 'オペレーター名は、英数字と「.」「_」「-」で3〜64文字にしてください。',
  'error.operator.name_taken': 'この名前のオペレーターはすでにいます。別の名前にしてください。',
  'operator.setup.title': 'オペレーターのセットアップ',
  'operator.setup.lead':
    'この1回限りのリンクで、コンソールのオペレーター（{role}）を作成します。パスワードを決めてください。最初のサインインで認証アプリを追加します。',
  'operator.setup.name_hint': '英数字と「.」「_」「-」で3〜64文字',
  'operator.setup.name_fixed': 'オペレーター名：{name}',
  'operator.setup.password_hint': '12文字以上',
  'operator.setup.submit': 'オペレーターを作成',
  'operator.setup.done':
    'オペレーターを作成しました。サインインしてください。最初のサインインで認証アプリを追加します。',
  'checkup.rating_sep': '：',
  'checkup.rating.low': '今すぐ見直しが必要です',
  'checkup.rating.fair': 'おおむね良好ですが、改善できます',
  'checkup.rating.good': 'しっかり守られています',
  'notices.op.confirm_label':
    '「{category}」のお知らせを受け取るすべてのユーザーに今すぐ配信され、開始後は止められないことを理解しました。',
  'notices.op.confirm_required': '全ユーザーへの配信を確認するには、チェックボックスをオンにしてください。',
  'operator.decide.reason_required':
    '判断の理由を入力してください（1000文字以内）。理由は監査ログに記録されます。',
};
