import { apiJa } from './areas/api.ts';
import { appsConsoleJa } from './areas/apps-console.ts';
import { appsDeliveryJa } from './areas/apps-delivery.ts';
import { appsOidcJa } from './areas/apps-oidc.ts';
import { checkupJa } from './areas/checkup.ts';
import { deadendsJa } from './areas/deadends.ts';
import { edgesJa } from './areas/edges.ts';
import { inputsJa } from './areas/inputs.ts';
import { limitsJa } from './areas/limits.ts';
import { mailJa } from './areas/mail.ts';
import { mailAccountJa } from './areas/mail-account.ts';
import { mailCodeJa } from './areas/mail-code.ts';
import { noticesJa } from './areas/notices.ts';
import { orgActionsJa } from './areas/org-actions.ts';
import { orgApiJa } from './areas/org-api.ts';
import { orgConsoleJa } from './areas/org-console.ts';
import { orgErrorsJa } from './areas/org-errors.ts';
import { orgMemberJa } from './areas/org-member.ts';
import { orgNewcomerJa } from './areas/org-newcomer.ts';
import { reccodeJa } from './areas/reccode.ts';
import { recoveryFormJa } from './areas/recovery-form.ts';
import { replacementJa } from './areas/replacement.ts';
import { securityJa } from './areas/security.ts';
import { wordingJa } from './areas/wording.ts';
import type { en, enBase } from './en.ts';

/** 日本語のメッセージ。キーは en.ts と同じでなければならない(型で検査)。 */
const jaBase: Record<keyof typeof enBase, string> = {
  'brand.tagline': 'アカウントのセキュリティ',
  'nav.language': '言語',
  'nav.sign_out': 'サインアウト',
  'footer.note': 'Mamori がメール・SMS・電話でパスワードや確認コードを尋ねることはありません。',
  'page.error.title': '問題が発生しました',
  'page.error.home': 'トップページへ',

  'common.back': '戻る',
  'common.back_to_sign_in': 'サインインに戻る',
  'common.cancel': 'キャンセル',
  'common.details': '詳細',
  'common.next': '次へ',
  'common.save': '保存',

  'field.email': 'メールアドレス',
  'field.contact_email': '連絡用メールアドレス',
  'field.password': 'パスワード',
  'field.new_password': '新しいパスワード',
  'field.display_name': '名前',
  'field.language': '言語',
  'field.label': 'ラベル（任意）',
  'field.label_hint': '「個人用」「仕事用」など、見分けやすい名前を付けられます。',
  'field.country': '国・地域',
  'field.phone': '携帯電話番号',

  'password.hint': '8文字以上。長めのフレーズにすると覚えやすく、推測されにくくなります。',
  'password.title': 'パスワードの変更',
  'password.end_others': 'ほかのすべてのデバイスからサインアウトする',
  'password.submit': 'パスワードを変更',

  'signin.title': 'サインイン',
  'signin.submit': 'サインイン',
  'signin.forgot': 'パスワードをお忘れですか？',
  'signin.no_account': 'アカウントをお持ちでない方は',
  'signin.create': 'アカウントを作成',
  'signin.notice.reset': 'パスワードを再設定しました。新しいパスワードでサインインしてください。',
  'signin.notice.signed_out': 'サインアウトしました。',

  'second.title': '2段階認証',
  'second.lead': 'このデバイスでは2つ目の確認が必要です。登録している確認方法のいずれかを使ってください。',
  'second.trust': 'このデバイスでは{days}日間確認しない',
  'second.code_sent': '{method} にコードを送信しました。',
  'second.totp_label': '{method}に表示されているコード',
  'second.totp_hint': '認証アプリを開き、表示されている6桁のコードを入力してください。',
  'second.or_code': 'またはコードを受け取る',
  'challenge.title': 'アカウントを守るための確認',
  'challenge.lead':
    'いつもと異なるサインイン（新しい国・地域またはデバイス）です。ご本人であることを確認するため、セキュリティ情報にコードをお送りします。',
  'passkey.security.add': 'パスキーを追加',
  'passkey.signin.link': 'パスキーでサインイン',
  'passkey.add.title': 'パスキーの追加',
  'passkey.add.lead':
    'パスキーを使うと、パスワードの代わりに指紋認証・顔認証・画面ロックでサインインできます。パスキーはこのデバイスまたはパスワード管理ツールに保存され、このサイトでしか使えません。',
  'passkey.add.submit': 'パスキーを作成',
  'passkey.add.failed': 'パスキーを追加できませんでした。もう一度お試しください。',
  'passkey.add.done': 'パスキーを登録しました。次回からパスワードなしでサインインできます。',
  'passkey.name.label': 'パスキーの名前（任意）',
  'passkey.name.hint': '「仕事用のパソコン」「自分のスマホ」など、見分けやすい名前を付けられます。',
  'passkey.waiting': 'ブラウザーまたはデバイスに表示される案内に従ってください…',
  'passkey.cancelled':
    'パスキーの操作がキャンセルされたか、時間切れになりました。準備ができたらもう一度お試しください。',
  'passkey.unsupported':
    'このブラウザーではパスキーを使えません。最新のブラウザーをお使いいただくか、パスワードをご利用ください。',
  'passkey.expired': '有効期限が切れました。もう一度お試しください。',
  'passkey.noscript.add':
    'パスキーの追加には JavaScript が必要です。ブラウザーで JavaScript を有効にして、このページを再読み込みしてください。',
  'passkey.noscript.signin':
    'パスキーでのサインインには JavaScript が必要です。ブラウザーで JavaScript を有効にするか、パスワードでサインインしてください。',
  'passkey.signin.title': 'パスキーでサインイン',
  'passkey.signin.lead':
    'このデバイスまたはパスワード管理ツールに保存したパスキーを使います。メールアドレスやパスワードの入力は不要です。',
  'passkey.signin.submit': 'パスキーでサインイン',
  'passkey.signin.failed':
    'このパスキーではサインインできませんでした。もう一度お試しいただくか、パスワードでサインインしてください。',
  'passkey.signin.cancelled':
    'パスキーを使用できませんでした。操作がキャンセルされたか、時間切れになったか、このデバイスにこのサイトのパスキーがありません。もう一度お試しいただくか、パスワードでサインインしてください。',
  'passkey.signin.password': 'パスワードでサインインする',
  'passkey.back': 'セキュリティ情報に戻る',
  'passkey.use': 'パスキーを使う',
  'passkey.default_name': '{os} の {browser}',
  'signup.title': 'アカウントの作成',
  'signup.lead': 'ご本人のメールアドレスであることを確認するため、確認コードをお送りします。',
  'signup.email_hint': 'サインインに使うメールアドレスです。',
  'signup.submit': 'アカウントを作成',
  'signup.have_account': 'すでにアカウントをお持ちの方は',
  'signup.sign_in': 'サインイン',

  'confirm.title': 'メールアドレスの確認',
  'confirm.lead':
    '{email} にまだ Mamori アカウントがない場合は、そのアドレスに6桁のコードが届きます。下に入力してください（有効期限は{minutes}分）。すでにアカウントがある場合は、コードの代わりにアドレスの持ち主にお知らせのメールが届きます。サインインするか、パスワードを再設定してください。',
  'confirm.spam_hint':
    'メールが見当たらない場合は、迷惑メールフォルダーを確認してから、コードを再送してください。',

  'code.label': '確認コード',
  'code.hint': '6桁の数字',
  'code.submit': '確認',
  'code.resend': 'コードを再送する',
  'code.resend_in': 'コードを再送する（{wait}後）',
  'code.resend_wait': '新しいコードは{wait}後に送信できます。',
  'code.resent': '新しいコードを送信しました。使えるのは最新のコードだけです。',

  'security.title': 'セキュリティ',
  'security.account': 'アカウント',
  'security.primary_hint':
    'サインインに使うメールアドレスです。セキュリティに関するお知らせは、このアドレスと確認済みの連絡用アドレスに届きます。',
  'security.methods': 'セキュリティ情報',
  'security.methods_hint':
    'パスワードを忘れたときなどに、ご本人確認に使う連絡用メールアドレス、電話番号、認証アプリ、パスキーです。最大{max}件まで登録できます。',
  'security.methods_empty': 'サインイン用のアドレス以外の連絡先は、まだ登録されていません。',
  'security.no_methods':
    'サインイン用のアドレスが使えなくなった場合に備えて、連絡用メールアドレスか電話番号を今すぐ追加してください。そうすれば、パスワードの再設定のコードを受け取れます。',
  'security.one_method':
    'ご本人確認の方法が1つだけです。使えなくなったときに備えて、もう1つ追加しておきましょう。',
  'security.add_email': 'メールアドレスを追加',
  'security.add_phone': '電話番号を追加',
  'security.more': 'その他の設定',
  'security.change_password': 'パスワードの変更',
  'security.sessions': 'サインイン中のデバイス',
  'security.activity': '最近のアクティビティ',
  'security.done.welcome':
    'アカウントの準備ができました。いつでもサインインし直せるよう、セキュリティ情報を追加しましょう。',
  'security.done.verified': '確認が完了し、セキュリティ情報に追加されました。',
  'security.done.removed': '削除しました。登録されているすべての連絡先にお知らせしました。',
  'security.done.password': 'パスワードを変更しました。',
  'security.done.session_ended': 'そのセッションからサインアウトしました。',
  'security.done.others_ended': 'ほかのすべてのセッションからサインアウトしました。',
  'security.done.labelled': 'ラベルを保存しました。',

  'method.kind.email': 'メール',
  'method.kind.phone': '電話（SMS）',
  'method.kind.totp': '認証アプリ',
  'method.kind.passkey': 'パスキー',
  'method.verified': '確認済み',
  'method.pending': '未確認',
  'method.verified_on': '{date} に確認',
  'method.added_on': '{date} に追加',
  'method.verify': 'コードを入力',
  'method.edit': 'ラベルを編集',
  'method.remove': '削除',

  'reauth.title': 'ご本人確認',
  'reauth.lead':
    'セキュリティ設定を変更する前に、ご本人であることを確認します。確認は{minutes}分間有効です。',
  'reauth.two_step': '2段階認証がオンのため、2つ目の確認方法でご本人確認を行ってください。',
  'reauth.submit': '確認',
  'reauth.or_code': 'またはコードで確認',
  'reauth.send_to': '{method} にコードを送信',
  'reauth.code_sent': '{method} にコードを送信しました。',

  'add.send_code': 'コードを送信',
  'add_email.title': '連絡用メールアドレスの追加',
  'add_email.lead':
    'サインイン用とは別の、いつでも受信できるアドレスを登録してください。確認コードをお送りします。',
  'add_email.typo': 'もしかして {suggestion} ですか？',
  'add_email.use_suggestion': '{suggestion} を使う',
  'add_email.keep': '{email} のまま続ける',
  'add_phone.title': '電話番号の追加',
  'add_phone.lead': 'この携帯電話番号に SMS で確認コードをお送りします。',
  'add_phone.hint': '例：090-1234-5678（先頭の0はあってもなくてもかまいません）',

  'verify.title': '確認コードの入力',
  'verify.lead_email': '{destination} にお送りした6桁のコードを入力してください。有効期限は{minutes}分です。',
  'verify.lead_phone':
    '{destination} に SMS でお送りした6桁のコードを入力してください。有効期限は{minutes}分です。',
  'verify.later': 'あとで確認する',

  'edit.title': 'ラベルの変更',

  'remove.title': 'セキュリティ情報の削除',
  'remove.left': '削除後も、ご本人確認に使える確認済みの方法が{count}件残ります。',
  'remove.pending_only': 'これは未確認のため、削除してもほかに影響はありません。',
  'remove.advice':
    '別のものに置き換える場合は、先に新しいほうを追加して確認を済ませてください。このアドレスを含むすべての連絡先にお知らせが届きます。',
  'remove.advice_phone':
    '別のものに置き換える場合は、先に新しいほうを追加して確認を済ませてください。登録されているすべての連絡先にお知らせが届きます。',
  'remove.confirm': '削除する',

  'sessions.title': 'サインイン中のデバイス',
  'sessions.device': 'デバイス',
  'sessions.ip': 'IP アドレス',
  'sessions.last_seen': '最終アクセス',
  'sessions.current': 'このデバイス',
  'sessions.end': 'サインアウト',
  'sessions.end_others': 'ほかのすべてのデバイスからサインアウト',

  'activity.title': '最近のアクティビティ',
  'activity.when': '日時',
  'activity.what': '内容',
  'activity.ip': 'IP アドレス',
  'activity.device': 'デバイス',
  'activity.lead':
    '過去{days}日間のセキュリティに関するできごとです。心当たりのないものがあれば、アカウントを保護してください。',
  'activity.geo_attribution':
    'IP アドレスからの国・地域の判定：ip-location-db（Number Resource Organization [nro.net] のデータに基づく、CC BY 4.0）。',
  'activity.where': '場所',
  'activity.filter': '表示',
  'activity.filter.all': 'すべて',
  'activity.filter.signin': 'サインイン',
  'activity.filter.security': 'セキュリティ情報',
  'activity.filter.password': 'パスワード',
  'activity.unusual.title': '普段と異なるサインイン',
  'activity.unusual.question': 'これはご本人の操作ですか？',
  'activity.unusual.me': '自分です',
  'activity.unusual.not_me': '自分ではない',
  'activity.done.me': 'ありがとうございます。このサインインをご本人のものとして記録しました。',
  'secure.title': 'アカウントの保護',
  'secure.lead': '第三者にパスワードを知られているおそれがあります。次の手順でアカウントを保護します。',
  'secure.step_password': 'パスワードを変更する',
  'secure.step_sessions': 'ほかのすべてのデバイスからサインアウトする',
  'secure.step_devices': '信頼済みデバイスをすべて削除する',
  'secure.step_review': '確認方法を1つずつ見直す',
  'secure.submit': 'パスワードを変更してアカウントを保護',
  'secure.done_title': 'アカウントを保護しました',
  'secure.done':
    'パスワードを変更しました。{sessions, plural, =0 {ほかにサインイン中のセッションはありませんでした。} other {ほかのセッション#件からサインアウトしました。}}{devices, plural, =0 {信頼済みデバイスはありませんでした。} other {信頼済みデバイス#件を削除しました。}}',
  'secure.review': '次の確認方法がすべてご自身のものか確認し、心当たりのないものは削除してください。',
  'secure.not_mine': '自分のものではない（削除）',
  'secure.finish': '完了',
  'activity.kind.replacement.started': 'セキュリティ情報のすべての置き換えを申請（30日間の待機）',
  'activity.kind.replacement.cancelled': 'セキュリティ情報の置き換えを取り消し',
  'activity.kind.replacement.completed': 'セキュリティ情報を置き換え',
  'activity.kind.recovery_form.submitted': 'アカウント回復の申請',
  'activity.kind.recovery_form.approved': 'アカウント回復の申請を承認',
  'activity.kind.recovery_form.denied': 'アカウント回復の申請を却下',
  'activity.kind.periodic.confirmed': 'セキュリティ情報の定期確認',
  'activity.kind.notices.preferences': 'お知らせの受信設定を変更',
  'activity.kind.phrase.changed': 'あいさつ文の変更',
  'activity.kind.account.created': 'アカウントの作成',
  'activity.kind.account.email_confirmed': 'メールアドレスの確認',
  'activity.kind.signin.success': 'サインイン',
  'activity.kind.signin.wrong_password': 'パスワードの誤り',
  'activity.kind.signin.throttled': 'サインインの一時停止（試行回数の超過）',
  'activity.kind.signout': 'サインアウト',
  'activity.kind.session.ended': 'セッションの終了',
  'activity.kind.method.added': 'セキュリティ情報の追加（未確認）',
  'activity.kind.method.verified': 'セキュリティ情報の確認',
  'activity.kind.method.removed': 'セキュリティ情報の削除',
  'activity.kind.method.relabelled': 'セキュリティ情報のラベル変更',
  'activity.kind.password.changed': 'パスワードの変更',
  'activity.kind.password.reset': 'パスワードの再設定',
  'activity.kind.reset.started': 'パスワード再設定の開始',
  'activity.kind.reauth.success': 'ご本人確認',

  'activity.kind.signin.unusual': '普段と異なるサインイン（新しい国・地域またはデバイス）',
  'activity.kind.signin.challenged': 'サインイン時の追加確認',
  'activity.kind.signin.second_factor': 'サインイン時の2段階目の確認',
  'activity.kind.two_step.on': '2段階認証をオンにしました',
  'activity.kind.two_step.off': '2段階認証をオフにしました',
  'activity.kind.recovery_code.created': '回復コードの作成',
  'activity.kind.recovery_code.used': '回復コードの使用',
  'activity.kind.device.trusted': 'デバイスを信頼済みに登録',
  'activity.kind.device.revoked': '信頼済みデバイスの削除',
  'activity.kind.account.secured': 'アカウントの保護',
  'forgot.title': 'パスワードの再設定',
  'forgot.lead': 'サインインに使っているメールアドレスを入力してください。',
  'forgot.choose.title': 'ご本人確認',
  'forgot.choose.lead': '{account} の確認コードをどこに送りますか？',
  'forgot.choose.legend': '登録されているセキュリティ情報',
  'forgot.choose.email': 'メール {masked}',
  'forgot.choose.phone': 'SMS {masked}',
  'forgot.choose.confirm': '確認のため、メールアドレス全体、または電話番号の下4桁を入力してください',
  'forgot.choose.confirm_hint': 'ご本人以外がコードを送れないようにするための確認です。',
  'forgot.choose.confirm_email': '確認のため、メールアドレス全体を入力してください',
  'forgot.choose.confirm_phone': '確認のため、電話番号の下4桁を入力してください',
  'forgot.choose.confirm_hint_totp':
    'ご本人以外がコードを送れないようにするための確認です。認証アプリを選んだ場合は入力不要です。',
  'forgot.code.nothing':
    '届かない場合は、迷惑メールフォルダーを確認するか、ボタンが押せるようになってからコードを再送するか、別の方法をお試しください。1つのあて先に送れるコードは1日{perDay}回までです。',
  'forgot.code.resent':
    '入力内容が一致していれば、新しいコードが届きます（直前の1分以内にそのあて先へコードを送った場合を除きます）。使えるのは最新のコードだけです。',
  'forgot.choose.submit': 'コードを受け取る',
  'forgot.choose.none': 'どれも使えない場合',
  'forgot.choose.second': '{account} は2段階認証がオンです。別の方法で2つ目の確認を行ってください。',
  'forgot.choose.totp': '{masked}のコード',
  'forgot.recovery.title': '回復コードを使う',
  'forgot.recovery.label': '回復コード',
  'forgot.recovery.hint': '25文字（例：ABCDE-FGHJK-…）。ハイフンや空白、小文字のままでもかまいません。',
  'forgot.recovery.new': '回復コードを使用したため、新しい回復コードを発行しました。',
  'forgot.code.title': '確認コードの入力',
  'forgot.code.lead':
    '入力内容が {masked} と一致した場合は、そのあて先に確認コードが届きます（送れるのは1分に1通までです。直前の1分以内に届いたコードがあればそれを使うか、カウントダウンが終わってから再送してください）。コードの有効期限は{minutes}分です。',
  'forgot.code.another': '別の方法を使う',
  'forgot.new.title': '新しいパスワードの設定',
  'forgot.new.lead':
    '設定すると、すべてのデバイスからサインアウトされ、登録されているすべての連絡先にお知らせが届きます。',
  'forgot.new.submit': 'パスワードを再設定',
  'forgot.none.title': '登録した方法が使えない場合',
  'forgot.none.lead':
    '{account} には、コードを送れる確認済みのメールアドレスや電話番号がありません。次の方法をお試しください。',
  'forgot.none.lead_generic':
    'セキュリティ情報が使えない場合、確認コードをお送りできません。次の方法をお試しください。',
  'forgot.none.option_remember':
    '以前使っていたパスワードを試す（サインインがずっとロックされることはありません）。',
  'forgot.none.option_other_device':
    'ほかのデバイスでサインインしたままなら、そこで今すぐセキュリティ情報を追加する。',
  'forgot.none.option_support': 'ご利用のサービスのサポート窓口に連絡し、アカウント回復の審査を依頼する。',

  'totp.title': '認証アプリの追加',
  'totp.step_install':
    'スマートフォンに認証アプリ（Microsoft Authenticator、Google 認証システム、1Password など）をインストールします。',
  'totp.step_scan': 'アプリでアカウントを追加し、この QR コードを読み取ります。',
  'totp.qr_label': '認証アプリで読み取る QR コード',
  'totp.manual': '読み取れない場合は、代わりにこのキーをアプリに入力してください（時間ベース）：',
  'totp.step_code': 'アプリに表示された6桁のコードを入力してください',
  'totp.submit': '完了',
  'recovery.title': '回復コード',
  'recovery.once':
    'このコードが表示されるのは今回だけです。書き留めるか印刷して、安全な場所に保管してください。',
  'recovery.keep': 'セキュリティ情報がすべて使えなくなったときも、このコードでアカウントに戻れます。',
  'recovery.old_invalid': '以前に作成した回復コードは使えなくなりました。',
  'recovery.done': '安全な場所に保管しました',
  'twostep.title': '2段階認証',
  'twostep.off_lead':
    '2段階認証をオンにすると、新しいデバイスでのサインインに、パスワードに加えて2つ目の確認（メールや SMS のコード、認証アプリ、パスキー）が必要になります。',
  'twostep.on_lead': '2段階認証はオンです。新しいデバイスでサインインするときは2つ目の確認が必要です。',
  'twostep.need_methods':
    'ご本人確認に使える確認済みの方法は{count}件です。1つを失っても締め出されないよう、先に2つ以上登録してください。',
  'twostep.turn_on': '2段階認証をオンにする',
  'twostep.turn_off': '2段階認証をオフにする',
  'devices.title': '信頼済みデバイス',
  'devices.lead': 'これらのデバイスでは、登録から{days}日間、サインイン時に2つ目の確認を求めません。',
  'devices.none': '信頼済みデバイスはありません。',
  'devices.until': '有効期限',
  'devices.revoke': '削除',
  'devices.revoke_all': '信頼済みデバイスをすべて削除',
  'security.two_step': '2段階認証',
  'security.two_step_on': 'オン',
  'security.two_step_off': 'オフ',
  'security.manage_two_step': '2段階認証の設定',
  'security.add_totp': '認証アプリを追加',
  'security.recovery_code': '回復コード',
  'security.recovery_none': '回復コードはまだ作成されていません。',
  'security.recovery_made': '{date} に作成',
  'security.recovery_create': '新しい回復コードを作成',
  'security.devices': '信頼済みデバイス',
  'security.done.totp': '認証アプリの準備ができ、セキュリティ情報に追加されました。',
  'security.done.two_step_on': '2段階認証をオンにしました。',
  'security.done.two_step_off': '2段階認証をオフにしました。',
  'messages.kind.code': '確認コード',
  'messages.kind.signup_exists': 'アカウント作成の試みのお知らせ',
  'messages.kind.method_added': 'セキュリティ情報の追加',
  'messages.kind.method_removed': 'セキュリティ情報の削除',
  'messages.kind.password_changed': 'パスワードの変更',
  'messages.kind.password_reset': 'パスワードの再設定',
  'messages.kind.two_step_on': '2段階認証をオンにしました',
  'messages.kind.two_step_off': '2段階認証をオフにしました',
  'messages.kind.recovery_code_created': '回復コードの作成',
  'messages.kind.recovery_code_used': '回復コードの使用',
  'messages.kind.unusual_signin': '普段と異なるサインインの警告',
  'messages.kind.account_secured': 'アカウントの保護',
  'messages.kind.other': 'その他のメッセージ',
  'messages.title': 'Mamori から送信したメッセージ',
  'messages.lead':
    'あなたのアカウントに関して送信したメールと SMS の一覧です。メールの末尾には参照番号が記載されています（SMS には参照番号はありません）。この一覧にない「Mamori からのメッセージ」は偽物です。',
  'messages.kind': 'メッセージ',
  'messages.to': '送信先',
  'messages.reference': '参照番号',
  'check.title': 'メッセージの確認',
  'check.lead':
    'Mamori を名乗るメールが届いたら、末尾の参照番号を貼り付けて、本当に Mamori が送信したものか確認できます。',
  'check.hint': '例：MMR-7KQ2-XH9D',
  'check.submit': '確認する',
  'check.genuine': '本物です。Mamori が {date} にこの参照番号のメッセージを送信しました。',
  'check.not_genuine':
    'この参照番号のメッセージは送信していません。リンクを開いたり、返信したりしないでください。',
  'phrase.title': 'あいさつ文',
  'phrase.lead':
    'ご自身で決めた短いあいさつ文（例：「青い凧からこんにちは」）を設定できます。Mamori からのすべてのメールの冒頭に表示されるため、あいさつ文のない「Mamori からのメール」は偽物だとわかります。',
  'phrase.label': 'あいさつ文',
  'phrase.hint': '40文字以内。すべてのメールに表示されます。空欄にすると表示しなくなります。',
  'phrase.removed': 'あいさつ文を削除しました。今後のメールには表示されません。',
  'phrase.saved': '保存しました。次回以降のメールの冒頭に表示されます。',
  'dev.mailbox.title': '開発用メールボックス',
  'dev.mailbox.lead':
    'SMTP_URL が設定されていないため、メールは送信されずここに保存されます。本番環境にはこのページはありません。',
  'dev.mailbox.smtp': 'SMTP_URL が設定されているため、メールは SMTP で送信され、ここには表示されません。',
  'dev.sms.title': '開発用 SMS 送信箱',
  'dev.sms.lead':
    'SMS プロバイダーが設定されていないため、SMS はここに保存されます。本番環境にはこのページはありません。',
  'dev.empty': 'まだありません。',

  'code.not_sent_wait': '{method} には少し前にコードを送ったばかりのため、新しいコードはまだ送っていません。',
  'second.other_way': '別の方法を使う',
  'error.replacement.recovery_code_too_new':
    'この回復コードは {created} に作成されました。待機期間を省略できるのは作成から{days}日以上たった回復コードだけのため、このコードは {usable} まで使えません。変更はいずれにしても {date} に反映されます。',
  'security.done.removed_unverified': '削除しました。確認前の情報だったため、お知らせは送っていません。',
  'phrase.warning':
    'メールを読める人には誰にでも見えます。パスワードではありません。パスワード・暗証番号・秘密の質問の答えは絶対に使わないでください。',

  'error.request.invalid': 'リクエストの内容が正しくありません。',
  'error.request.too_large': 'リクエストが大きすぎます。',
  'error.request.csrf': 'フォームの有効期限が切れました。ページを再読み込みして、もう一度お試しください。',
  'error.request.not_found': 'ページが見つかりません。',
  'error.request.rate_limited': 'リクエストが多すぎます。{wait}後にもう一度お試しください。',
  'error.auth.required': '続けるにはサインインしてください。',
  'error.auth.invalid_credentials': 'メールアドレスまたはパスワードが正しくありません。',
  'error.auth.reauth_required': '先にご本人確認を行ってください（確認は{minutes}分間有効です）。',
  'error.auth.throttled': '試行回数が多すぎます。約{wait}後にもう一度お試しください。',
  'error.account.email_invalid': '正しいメールアドレスを入力してください（例：name@example.com）。',
  'error.account.display_name_invalid': '名前を入力してください（64文字以内）。',
  'error.password.too_short': 'パスワードは{min}文字以上にしてください。',
  'error.password.too_long': 'パスワードは{max}文字以内にしてください。',
  'error.password.common':
    'このパスワードはよく使われていて推測されやすいため、使えません。別のパスワードにしてください。',
  'error.password.same_as_current': '現在のパスワードとは違うパスワードにしてください。',
  'error.password.contains_email': 'メールアドレスや名前をパスワードにしないでください。',
  'error.contact.email_invalid': '正しいメールアドレスを入力してください（例：name@example.com）。',
  'error.contact.email_disposable':
    '使い捨てメールアドレスは登録できません。使えなくなると、アカウントに戻れなくなるためです。',
  'error.contact.email_same_as_primary':
    'これはサインインに使っているアドレスです。別のアドレスを登録してください。このメールボックスが使えなくなったとき、アカウントに戻る手段になります。',
  'error.contact.email_typo': 'もしかして {suggestion} ですか？',
  'error.contact.already_added': 'すでにセキュリティ情報に登録されています。',
  'error.contact.limit_reached': '確認方法は最大{max}件までです。先にどれかを削除してください。',
  'error.contact.not_found': 'そのセキュリティ情報は見つかりません。',
  'error.contact.last_method':
    'ご本人確認に使える確認済みの方法がこれだけのため、削除できません。先に別の方法を追加してください。',
  'error.contact.label_invalid': 'ラベルは、目に見える文字で40文字以内にしてください。',
  'error.phone.invalid': '電話番号が正しくないようです。国・地域と番号を確認してください。',
  'error.phone.not_mobile':
    'SMS を受信できる携帯電話番号を入力してください（固定電話・フリーダイヤル・IP 電話の番号は使えません）。',
  'error.phone.country_unsupported': 'この国・地域には SMS を送信できません。',
  'error.phone.country_limit':
    '現在、この国・地域へはこれ以上 SMS を送信できません。{wait}後にもう一度お試しください。',
  'error.code.wrong': 'コードが正しくありません。あと{remaining}回入力できます。',
  'error.code.invalid': 'コードが正しくありません。確認してもう一度入力してください。',
  'error.code.expired': 'コードの有効期限が切れています。新しいコードを送信してください。',
  'error.code.too_many_attempts': '誤ったコードの入力が多すぎます。{wait}後にもう一度お試しください。',
  'error.code.resend_wait': '新しいコードを送信できるまで、あと{wait}お待ちください。',
  'error.code.daily_limit':
    '本日このあて先に送信できるコードの上限に達しました。明日もう一度お試しいただくか、別の方法を使ってください。',
  'error.code.not_found': 'このコードはもう使えません。最初からやり直してください。',
  'error.reset.flow_invalid':
    'このパスワード再設定はもう使えません（期限切れ、完了済み、またはその後アカウントが変更されました）。最初からやり直してください。',
  'error.session.not_found': 'そのセッションは見つかりません。',
  'error.two_step.needs_two_methods':
    '2段階認証をオンにする前に、確認方法を2つ以上（例：電話番号と認証アプリ）登録してください。',
  'error.signin.flow_invalid':
    'このサインインはもう使えません（期限切れか、アカウントに変更がありました）。もう一度サインインしてください。',
  'error.phrase.invalid': 'あいさつ文は、目に見える文字で40文字以内にしてください。',
  'error.account.restricted':
    'セキュリティ情報の置き換え中（{date} まで）はこの操作ができません。以前の情報をまだ使える場合は、先に置き換えを取り消してください。',
  'error.replacement.not_found': '保留中のセキュリティ情報の変更はありません。',
  'error.replacement.already_pending': 'セキュリティ情報の変更がすでに保留中です。',
  'error.replacement.invalid': '新しいメールアドレスか電話番号を1つ以上、コードで確認して追加してください。',
  'error.recovery_form.limit':
    'このアカウントの本日の回復申請は上限に達しました。明日もう一度お試しください。',
  'error.recovery_form.not_allowed':
    'このアカウントは2段階認証を使用しているため、回復フォームは使えません。回復コードをお使いください。',
  'error.recovery_form.pow_invalid':
    '自動確認に失敗しました。ページを再読み込みして、もう一度お試しください。',
  'error.recovery_form.invalid': '入力内容に誤りがあります。フォームを確認してください。',
  'error.recovery_form.not_found': 'この回復申請は見つからないか、もう使えません。',
  'error.operator.required': 'オペレーター コンソールにサインインしてください。',
  'error.operator.invalid_credentials': 'オペレーター名またはパスワードが正しくありません。',
  'error.notice.invalid': 'お知らせは日本語と英語の両方で、件名と本文を入力してください。',
  'error.notice.not_found': 'そのお知らせは見つかりません。',
  'error.unsubscribe.invalid': 'この配信停止リンクは無効です。',
  'error.internal': 'システムで問題が発生しました。しばらくしてからもう一度お試しください。',
};

export const ja: Record<keyof typeof en, string> = {
  ...jaBase,
  ...mailJa,
  ...mailCodeJa,
  ...mailAccountJa,
  ...replacementJa,
  ...recoveryFormJa,
  ...checkupJa,
  ...noticesJa,
  ...limitsJa,
  ...edgesJa,
  ...securityJa,
  ...inputsJa,
  ...apiJa,
  ...deadendsJa,
  ...reccodeJa,
  ...wordingJa,
  ...orgErrorsJa,
  ...orgMemberJa,
  ...orgActionsJa,
  ...orgConsoleJa,
  ...orgApiJa,
  ...appsConsoleJa,
  ...appsDeliveryJa,
  ...appsOidcJa,
  ...orgNewcomerJa,
};
