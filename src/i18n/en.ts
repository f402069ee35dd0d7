/** English messages. `ja.ts` must have exactly the same keys (checked by the type system). */
export const en = {
  'brand.tagline': 'Account security',
  'nav.language': 'Language',
  'nav.sign_out': 'Sign out',
  'footer.note': 'Mamori will never ask for your password or a code by email, SMS or phone.',
  'page.error.title': 'Something went wrong',
  'page.error.home': 'Go to the start page',

  'common.back': 'Back',
  'common.back_to_sign_in': 'Back to sign in',
  'common.cancel': 'Cancel',
  'common.next': 'Next',
  'common.save': 'Save',

  'field.email': 'Email address',
  'field.contact_email': 'Contact email address',
  'field.password': 'Password',
  'field.new_password': 'New password',
  'field.display_name': 'Name',
  'field.language': 'Language',
  'field.label': 'Label (optional)',
  'field.label_hint': 'For example "Personal" or "Work", to tell your addresses apart.',
  'field.country': 'Country or region',
  'field.phone': 'Mobile number',

  'password.hint': 'At least 8 characters. A long phrase is easier to remember and harder to guess.',
  'password.title': 'Change your password',
  'password.end_others': 'Sign out of every other device',
  'password.submit': 'Change password',

  'signin.title': 'Sign in',
  'signin.submit': 'Sign in',
  'signin.forgot': 'Forgot your password?',
  'signin.no_account': "Don't have an account?",
  'signin.create': 'Create one',
  'signin.notice.reset': 'Your password has been reset. Sign in with your new password.',
  'signin.notice.signed_out': 'You have signed out.',

  'signup.title': 'Create your account',
  'signup.lead': 'We will send a code to your email address to confirm it is yours.',
  'signup.email_hint': 'You will use this address to sign in.',
  'signup.submit': 'Create account',
  'signup.have_account': 'Already have an account?',
  'signup.sign_in': 'Sign in',

  'confirm.title': 'Confirm your email address',
  'confirm.lead': 'Enter the 6-digit code we sent to {email}. It is valid for {minutes} minutes.',
  'confirm.spam_hint': "Can't find it? Check your spam or junk folder, then ask for a new code.",

  'code.label': 'Code',
  'code.hint': '6 digits',
  'code.submit': 'Verify',
  'code.resend': 'Send a new code',
  'code.resend_in': 'Send a new code ({seconds} s)',
  'code.resend_wait': 'You can ask for a new code in {seconds} seconds.',
  'code.resent': 'We have sent a new code. Only the newest code works.',

  'security.title': 'Security',
  'security.account': 'Your account',
  'security.primary_hint':
    'This is the address you sign in with. Security notices are sent to it and to your verified contact addresses.',
  'security.methods': 'Security info',
  'security.methods_hint':
    'Contact email addresses and phone numbers we can use to check it is you, for example when you forget your password. Up to {max}.',
  'security.methods_empty': 'You have not added any security info yet.',
  'security.no_methods':
    'Add a contact email address or a phone number now: without one, you cannot reset your password if you forget it.',
  'security.one_method':
    'You have one way to verify it is you. Add a second one in case you lose access to it.',
  'security.add_email': 'Add an email address',
  'security.add_phone': 'Add a phone number',
  'security.more': 'More',
  'security.change_password': 'Change password',
  'security.sessions': 'Where you are signed in',
  'security.activity': 'Recent activity',
  'security.done.welcome': 'Your account is ready. Add security info so that you can always get back in.',
  'security.done.verified': 'Verified. It is now part of your security info.',
  'security.done.removed': 'Removed. We have told all your contact addresses.',
  'security.done.password': 'Your password has been changed.',
  'security.done.session_ended': 'That session has ended.',
  'security.done.others_ended': 'All your other sessions have ended.',
  'security.done.labelled': 'Label saved.',

  'method.kind.email': 'Email',
  'method.kind.phone': 'Phone (SMS)',
  'method.verified': 'Verified',
  'method.pending': 'Not verified',
  'method.verified_on': 'verified {date}',
  'method.added_on': 'added {date}',
  'method.verify': 'Enter code',
  'method.edit': 'Edit label',
  'method.remove': 'Remove',

  'reauth.title': 'Confirm it is you',
  'reauth.lead':
    'For your security, prove it is you before changing security settings. This lasts {minutes} minutes.',
  'reauth.submit': 'Confirm',
  'reauth.or_code': 'Or get a code',
  'reauth.send_to': 'Send a code to {method}',
  'reauth.code_sent': 'We sent a code to {method}.',

  'add.send_code': 'Send code',
  'add_email.title': 'Add a contact email address',
  'add_email.lead':
    'Use an address you can always reach that is different from the one you sign in with. We will send a code to it.',
  'add_email.typo': 'Did you mean {suggestion}?',
  'add_email.use_suggestion': 'Use {suggestion}',
  'add_email.keep': 'Keep {email}',
  'add_phone.title': 'Add a phone number',
  'add_phone.lead': 'We will send a code by SMS to this mobile number.',
  'add_phone.hint': 'For example 090-1234-5678. With or without the leading 0.',

  'verify.title': 'Enter the code',
  'verify.lead_email': 'Enter the 6-digit code we sent to {destination}. It is valid for {minutes} minutes.',
  'verify.lead_phone':
    'Enter the 6-digit code we sent by SMS to {destination}. It is valid for {minutes} minutes.',
  'verify.later': 'Do this later',

  'edit.title': 'Change the label',

  'remove.title': 'Remove security info',
  'remove.left': 'After this you will have {count} verified way(s) to prove it is you:',
  'remove.pending_only': 'This one was never verified, so removing it changes nothing else.',
  'remove.advice':
    'If you are replacing it, add and verify the new one first. Everyone on your contact list, this address included, will be told.',
  'remove.advice_phone':
    'If you are replacing it, add and verify the new one first. All your contact addresses will be told.',
  'remove.confirm': 'Remove',

  'sessions.title': 'Where you are signed in',
  'sessions.device': 'Device',
  'sessions.ip': 'IP address',
  'sessions.last_seen': 'Last active',
  'sessions.current': 'This device',
  'sessions.end': 'Sign out',
  'sessions.end_others': 'Sign out everywhere else',

  'activity.title': 'Recent activity',
  'activity.when': 'When',
  'activity.what': 'What',
  'activity.ip': 'IP address',
  'activity.device': 'Device',
  'activity.kind.account.created': 'Account created',
  'activity.kind.account.email_confirmed': 'Email address confirmed',
  'activity.kind.signin.success': 'Signed in',
  'activity.kind.signin.wrong_password': 'Wrong password entered',
  'activity.kind.signin.throttled': 'Sign-in blocked for a while (too many attempts)',
  'activity.kind.signout': 'Signed out',
  'activity.kind.session.ended': 'Session ended',
  'activity.kind.method.added': 'Security info added (not verified yet)',
  'activity.kind.method.verified': 'Security info verified',
  'activity.kind.method.removed': 'Security info removed',
  'activity.kind.method.relabelled': 'Security info label changed',
  'activity.kind.password.changed': 'Password changed',
  'activity.kind.password.reset': 'Password reset',
  'activity.kind.reset.started': 'Password reset started',
  'activity.kind.reauth.success': 'Identity confirmed',

  'forgot.title': 'Reset your password',
  'forgot.lead': 'Enter the email address you sign in with.',
  'forgot.choose.title': 'Verify your identity',
  'forgot.choose.lead': 'Where should we send a code for {account}?',
  'forgot.choose.legend': 'Your security info',
  'forgot.choose.email': 'Email {masked}',
  'forgot.choose.phone': 'Text message to {masked}',
  'forgot.choose.confirm': 'To confirm, type the full email address or the last 4 digits of the phone number',
  'forgot.choose.confirm_hint': 'This makes sure only you can send a code there.',
  'forgot.choose.submit': 'Get code',
  'forgot.choose.none': "I don't have any of these",
  'forgot.code.title': 'Enter the code',
  'forgot.code.lead':
    'If what you typed matches {masked}, we have sent a code there. It is valid for {minutes} minutes. If nothing arrives, wait a minute and ask for a new code, or use another way.',
  'forgot.code.another': 'Use another way',
  'forgot.new.title': 'Choose a new password',
  'forgot.new.lead':
    'After this, you will be signed out everywhere and we will tell all your contact addresses.',
  'forgot.new.submit': 'Reset password',
  'forgot.none.title': 'No way to send a code',
  'forgot.none.lead':
    'There is no verified email address or phone number we can use for {account}. Here is what you can do:',
  'forgot.none.lead_generic':
    'Without access to your security info we cannot send you a code. Here is what you can do:',
  'forgot.none.option_remember':
    'Try the passwords you have used before: sign-in never locks you out for good.',
  'forgot.none.option_other_device':
    'If you are still signed in on another device, add security info there now.',
  'forgot.none.option_support':
    'Contact the support team of the service you use; they can start an account recovery review.',

  'dev.mailbox.title': 'Dev mailbox',
  'dev.mailbox.lead':
    'SMTP_URL is not set, so emails are kept here instead of being sent. This page does not exist in production.',
  'dev.mailbox.smtp': 'SMTP_URL is set: emails are sent over SMTP and do not appear here.',
  'dev.sms.title': 'Dev SMS outbox',
  'dev.sms.lead':
    'No SMS provider is configured, so text messages are kept here. This page does not exist in production.',
  'dev.empty': 'Nothing yet.',

  'mail.greeting': 'Hello {name},',
  'mail.code.signup.subject': 'Your Mamori confirmation code',
  'mail.code.signup.intro':
    'Use this code to confirm the email address of your new Mamori account {account}.',
  'mail.code.add_email.subject': 'Verify your contact email address',
  'mail.code.add_email.intro':
    'Someone asked to add this address as security info for the Mamori account {account}. If it was you, enter this code.',
  'mail.code.add_phone.subject': 'Verify your phone number',
  'mail.code.add_phone.intro': 'Use this code to verify your phone number.',
  'mail.code.reset.subject': 'Your password reset code',
  'mail.code.reset.intro': 'Use this code to reset the password of the Mamori account {account}.',
  'mail.code.reauth.subject': 'Your security code',
  'mail.code.reauth.intro': 'Use this code to confirm it is you on the Mamori account {account}.',
  'mail.code.validity':
    'The code is valid for {minutes} minutes and works once. If you did not ask for it, ignore this email: someone may have typed your address by mistake.',
  'mail.code.never_share': 'Never tell this code to anyone. Mamori staff will never ask for it.',
  'mail.signup_exists.subject': 'Someone tried to create an account with your address',
  'mail.signup_exists.body':
    'Someone tried to create a new Mamori account with this email address, which already has an account. No new account was created.',
  'mail.signup_exists.ignore':
    'If it was you, sign in instead, or reset your password if you have forgotten it. If it was not you, you do not need to do anything.',
  'mail.signup_exists.action': 'Reset your password',
  'mail.method_added.subject': 'New security info was added to your account',
  'mail.method_added.body': '{method} was added to the security info of your Mamori account.',
  'mail.method_removed.subject': 'Security info was removed from your account',
  'mail.method_removed.body': '{method} was removed from the security info of your Mamori account.',
  'mail.password_changed.subject': 'Your password was changed',
  'mail.password_changed.body': 'The password of your Mamori account was changed.',
  'mail.password_reset.subject': 'Your password was reset',
  'mail.password_reset.body':
    'The password of your Mamori account was reset, and every session was signed out.',
  'mail.code.signin.subject': 'Your sign-in code',
  'mail.code.signin.intro': 'Use this code to finish signing in to the Mamori account {account}.',
  'mail.two_step_on.subject': 'Two-step verification was turned on',
  'mail.two_step_on.body':
    'Two-step verification was turned on for your Mamori account. Signing in on a new device now needs a second proof.',
  'mail.two_step_off.subject': 'Two-step verification was turned off',
  'mail.two_step_off.body': 'Two-step verification was turned off for your Mamori account.',
  'mail.recovery_code_created.subject': 'A new recovery code was created',
  'mail.recovery_code_created.body':
    'A new recovery code was created for your Mamori account. The previous one no longer works.',
  'mail.recovery_code_used.subject': 'Your recovery code was used',
  'mail.recovery_code_used.body':
    'Your recovery code was used to get back into your Mamori account. A new one has been created; the used one no longer works.',
  'mail.account_secured.subject': 'Your account was secured',
  'mail.account_secured.body':
    'The password of your Mamori account was changed, every other session was signed out and every trusted device was removed.',
  'mail.unusual_signin.subject': 'Unusual sign-in to your account',
  'mail.unusual_signin.body':
    'Someone signed in to your Mamori account with the right password from a country or device we have not seen before.',
  'mail.unusual_signin.details':
    'When: {time} · Country/region: {country} · IP address: {ip} · Device: {device}',
  'mail.unusual_signin.action': 'Review recent activity',
  'mail.unusual_signin.not_you':
    'If this wasn\'t you, open recent activity and choose "This wasn\'t me": we will help you secure your account.',
  'mail.when_where': 'When: {time} · IP address: {ip}',
  'mail.not_you':
    'If this was not you, someone else may be using your account. Sign in, change your password and review your security info at once.',
  'mail.not_you_password':
    'If this was not you, reset your password at once from the sign-in page and review your security info.',
  'mail.review_action': 'Review your security info',
  'mail.footer.never_ask':
    'Mamori never asks for your password or codes by email. Do not reply to this message.',
  'mail.footer.reference': 'Message reference: {reference}',
  'mail.footer.team': 'The Mamori account team',
  'sms.code': 'Mamori: your code is {code}. Valid {minutes} min. Never share it.',

  'error.request.invalid': 'The request is not valid.',
  'error.request.too_large': 'The request is too large.',
  'error.request.csrf': 'This form has expired. Reload the page and try again.',
  'error.request.not_found': 'This page does not exist.',
  'error.request.rate_limited': 'Too many requests. Try again in {seconds} seconds.',
  'error.auth.required': 'Sign in to continue.',
  'error.auth.invalid_credentials': 'That email address or password is not right.',
  'error.auth.reauth_required': 'Confirm it is you first (valid for {minutes} minutes).',
  'error.auth.throttled': 'Too many attempts. Try again later (in about {seconds} seconds).',
  'error.account.email_invalid': 'Enter a valid email address, like name@example.com.',
  'error.account.display_name_invalid': 'Enter a name of 1 to 64 characters.',
  'error.password.too_short': 'Use at least {min} characters.',
  'error.password.too_long': 'Use at most {max} characters.',
  'error.password.common': 'This password is too common and easy to guess. Choose another.',
  'error.password.same_as_current': 'Choose a password that is different from your current one.',
  'error.password.contains_email': 'Do not use your email address or name as your password.',
  'error.contact.email_invalid': 'Enter a valid email address, like name@example.com.',
  'error.contact.email_disposable':
    'Disposable email addresses cannot be used: they stop working, and then you could not get back into your account.',
  'error.contact.email_same_as_primary':
    'This is the address you sign in with. Add a different one: if you lose access to this mailbox, a second address is how you get back in.',
  'error.contact.email_typo': 'Did you mean {suggestion}?',
  'error.contact.already_added': 'This is already part of your security info.',
  'error.contact.limit_reached': 'You can have up to {max} ways to verify. Remove one first.',
  'error.contact.not_found': 'That security info was not found.',
  'error.contact.last_method':
    'This is your only verified way to prove it is you, so it cannot be removed. Add another one first.',
  'error.contact.label_invalid': 'Use a label of up to 40 characters.',
  'error.phone.invalid': 'This does not look like a valid phone number. Check the country and the number.',
  'error.phone.not_mobile':
    'Enter a mobile number that can receive SMS (not a landline, toll-free or internet phone number).',
  'error.phone.country_unsupported': 'We cannot send SMS to this country or region.',
  'error.phone.country_limit':
    'We cannot send more SMS to this country right now. Try again in {seconds} seconds.',
  'error.code.wrong': 'That code is not right. {remaining} tries left.',
  'error.code.expired': 'That code has expired. Ask for a new one.',
  'error.code.too_many_attempts': 'Too many wrong codes. Try again in {seconds} seconds.',
  'error.code.resend_wait': 'Wait {seconds} seconds before asking for a new code.',
  'error.code.daily_limit':
    'Too many codes have been sent to this address today. Try again tomorrow or use another way.',
  'error.code.not_found': 'This code is no longer valid. Start again.',
  'error.reset.flow_invalid': 'This password reset has expired or is finished. Start again.',
  'error.session.not_found': 'That session was not found.',
  'error.internal': 'Something went wrong on our side. Try again in a moment.',
} as const;
