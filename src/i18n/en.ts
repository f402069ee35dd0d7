import { apiEn } from './areas/api.ts';
import { appsConsoleEn } from './areas/apps-console.ts';
import { appsDeliveryEn } from './areas/apps-delivery.ts';
import { appsOidcEn } from './areas/apps-oidc.ts';
import { checkupEn } from './areas/checkup.ts';
import { deadendsEn } from './areas/deadends.ts';
import { edgesEn } from './areas/edges.ts';
import { inputsEn } from './areas/inputs.ts';
import { limitsEn } from './areas/limits.ts';
import { mailEn } from './areas/mail.ts';
import { mailAccountEn } from './areas/mail-account.ts';
import { mailCodeEn } from './areas/mail-code.ts';
import { noticesEn } from './areas/notices.ts';
import { orgActionsEn } from './areas/org-actions.ts';
import { orgApiEn } from './areas/org-api.ts';
import { orgConsoleEn } from './areas/org-console.ts';
import { orgErrorsEn } from './areas/org-errors.ts';
import { orgMemberEn } from './areas/org-member.ts';
import { orgNewcomerEn } from './areas/org-newcomer.ts';
import { reccodeEn } from './areas/reccode.ts';
import { recoveryFormEn } from './areas/recovery-form.ts';
import { replacementEn } from './areas/replacement.ts';
import { securityEn } from './areas/security.ts';
import { wordingEn } from './areas/wording.ts';

/** English messages. `ja.ts` must have exactly the same keys (checked by the type system). */
export const enBase = {
  'brand.tagline': 'Account security',
  'nav.language': 'Language',
  'nav.sign_out': 'Sign out',
  'footer.note': 'Mamori will never ask for your password or a code by email, SMS or phone.',
  'page.error.title': 'Something went wrong',
  'page.error.home': 'Go to the start page',

  'common.back': 'Back',
  'common.back_to_sign_in': 'Back to sign in',
  'common.cancel': 'Cancel',
  'common.details': 'Details',
  'common.next': 'Next',
  'common.save': 'Save',

  'field.email': 'Email address',
  'field.contact_email': 'Contact email address',
  'field.password': 'Password',
  'field.new_password': 'New password',
  'field.display_name': 'Name',
  'field.language': 'Language',
  'field.label': 'Label (optional)',
  'field.label_hint': 'For example “Personal” or “Work”, to tell your addresses apart.',
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

  'second.title': 'Two-step verification',
  'second.lead': 'Your account asks for a second proof on this device. Use one of your verification methods.',
  'second.trust': "Don't ask again on this device for {days} days",
  'second.code_sent': 'We sent a code to {method}.',
  'second.totp_label': 'Code from your {method}',
  'second.totp_hint': 'Open your authenticator app and enter the 6-digit code it shows.',
  'second.or_code': 'Or get a code',
  'challenge.title': 'Help us keep your account safe',
  'challenge.lead':
    'This sign-in looks different from usual (a new country or device). To make sure it is you, get a code sent to your security info.',
  'passkey.security.add': 'Add a passkey',
  'passkey.signin.link': 'Sign in with a passkey',
  'passkey.add.title': 'Add a passkey',
  'passkey.add.lead':
    'With a passkey you sign in with your fingerprint, face or screen lock instead of your password. It is kept on this device or in your password manager, and it only works on this site.',
  'passkey.add.submit': 'Create a passkey',
  'passkey.add.failed': 'The passkey was not added. Try again.',
  'passkey.add.done': 'Your passkey is ready. Next time you can sign in with it, without your password.',
  'passkey.name.label': 'Name for this passkey (optional)',
  'passkey.name.hint': 'To tell your passkeys apart, like “Work laptop” or “My phone”.',
  'passkey.waiting': 'Follow the steps shown by your browser or device…',
  'passkey.cancelled': 'The passkey request was cancelled or timed out. Try again when you are ready.',
  'passkey.unsupported':
    'This browser cannot use passkeys. Use an up-to-date browser, or use your password instead.',
  'passkey.expired': 'This request has expired. Try again.',
  'passkey.noscript.add':
    'Adding a passkey needs JavaScript. Turn on JavaScript in your browser and reload this page.',
  'passkey.noscript.signin':
    'Signing in with a passkey needs JavaScript. Turn on JavaScript in your browser, or sign in with your password.',
  'passkey.signin.title': 'Sign in with a passkey',
  'passkey.signin.lead':
    'Use the passkey saved on this device or in your password manager. You do not need your email address or password.',
  'passkey.signin.submit': 'Sign in with a passkey',
  'passkey.signin.failed':
    'We could not sign you in with that passkey. Try again, or sign in with your password.',
  'passkey.signin.cancelled':
    'No passkey was used: the request was cancelled or timed out, or this device has no passkey for this site. Try again, or sign in with your password.',
  'passkey.signin.password': 'Sign in with your password instead',
  'passkey.back': 'Back to security info',
  'passkey.use': 'Use a passkey',
  'passkey.default_name': '{browser} on {os}',
  'signup.title': 'Create your account',
  'signup.lead': 'We will send a code to your email address to confirm it is yours.',
  'signup.email_hint': 'You will use this address to sign in.',
  'signup.submit': 'Create account',
  'signup.have_account': 'Already have an account?',
  'signup.sign_in': 'Sign in',

  'confirm.title': 'Confirm your email address',
  'confirm.lead':
    'If {email} has no Mamori account yet, a 6-digit code goes there: enter it below. It is valid for {minutes} minutes. If the address already has an account, its owner gets an email instead and no code is sent: sign in or reset the password.',
  'confirm.spam_hint': "Can't find it? Check your spam or junk folder, then ask for a new code.",

  'code.label': 'Code',
  'code.hint': '6 digits',
  'code.submit': 'Verify',
  'code.resend': 'Send a new code',
  'code.resend_in': 'Send a new code ({wait})',
  'code.resend_wait': 'You can ask for a new code in {wait}.',
  'code.resent': 'We have sent a new code. Only the newest code works.',

  'security.title': 'Security',
  'security.account': 'Your account',
  'security.primary_hint':
    'This is the address you sign in with. Security notices are sent to it and to your verified contact addresses.',
  'security.methods': 'Security info',
  'security.methods_hint':
    'Contact email addresses, phone numbers, authenticator apps and passkeys we can use to check it is you, for example when you forget your password. Up to {max}.',
  'security.methods_empty': 'No contact info besides your sign-in address yet.',
  'security.no_methods':
    'Add a contact email address or a phone number now, in case your sign-in address stops working: a password reset can then still reach you.',
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
  'method.kind.totp': 'Authenticator app',
  'method.kind.passkey': 'Passkey',
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
  'reauth.two_step': 'Two-step verification is on: confirm with a second proof.',
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
  'remove.left':
    '{count, plural, one {After this you will have # verified way to prove it is you:} other {After this you will have # verified ways to prove it is you:}}',
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
  'activity.lead':
    'Security events of the last {days} days. If something looks unfamiliar, secure your account.',
  'activity.geo_attribution':
    'Country from the IP address: ip-location-db, based on data of the Number Resource Organization (nro.net), CC BY 4.0.',
  'activity.where': 'Where',
  'activity.filter': 'Show',
  'activity.filter.all': 'Everything',
  'activity.filter.signin': 'Sign-ins',
  'activity.filter.security': 'Security info',
  'activity.filter.password': 'Password',
  'activity.unusual.title': 'Unusual sign-in',
  'activity.unusual.question': 'Was this you?',
  'activity.unusual.me': 'This was me',
  'activity.unusual.not_me': "This wasn't me",
  'activity.done.me': 'Thank you. This sign-in is marked as yours.',
  'secure.title': 'Secure your account',
  'secure.lead': 'Someone else may know your password. We will:',
  'secure.step_password': 'change your password,',
  'secure.step_sessions': 'sign out every other device,',
  'secure.step_devices': 'remove every trusted device,',
  'secure.step_review': 'then let you review each of your verification methods.',
  'secure.submit': 'Change password and secure my account',
  'secure.done_title': 'Your account is secured',
  'secure.done':
    'Your password is changed. {sessions, plural, =0 {No other session was signed in.} one {We signed out # other session.} other {We signed out # other sessions.}} {devices, plural, =0 {You had no trusted devices.} one {We removed # trusted device.} other {We removed # trusted devices.}}',
  'secure.review': 'Check that each of these is yours. Remove any you do not recognise.',
  'secure.not_mine': 'Not mine: remove',
  'secure.finish': 'Done',
  'activity.kind.replacement.started': 'Replacement of all security info requested (30-day wait)',
  'activity.kind.replacement.cancelled': 'Replacement of security info cancelled',
  'activity.kind.replacement.completed': 'Security info replaced',
  'activity.kind.recovery_form.submitted': 'Account recovery request submitted',
  'activity.kind.recovery_form.approved': 'Account recovery request approved',
  'activity.kind.recovery_form.denied': 'Account recovery request denied',
  'activity.kind.periodic.confirmed': 'Security info confirmed as still yours',
  'activity.kind.notices.preferences': 'Notice preferences changed',
  'activity.kind.phrase.changed': 'Personal greeting changed',
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

  'activity.kind.signin.unusual': 'Unusual sign-in (new country or device)',
  'activity.kind.signin.challenged': 'Sign-in challenged (extra check asked)',
  'activity.kind.signin.second_factor': 'Second proof given at sign-in',
  'activity.kind.two_step.on': 'Two-step verification turned on',
  'activity.kind.two_step.off': 'Two-step verification turned off',
  'activity.kind.recovery_code.created': 'Recovery code created',
  'activity.kind.recovery_code.used': 'Recovery code used',
  'activity.kind.device.trusted': 'Device trusted (no second proof asked there)',
  'activity.kind.device.revoked': 'Trusted device removed',
  'activity.kind.account.secured': 'Account secured',
  'forgot.title': 'Reset your password',
  'forgot.lead': 'Enter the email address you sign in with.',
  'forgot.choose.title': 'Verify your identity',
  'forgot.choose.lead': 'Where should we send a code for {account}?',
  'forgot.choose.legend': 'Your security info',
  'forgot.choose.email': 'Email {masked}',
  'forgot.choose.phone': 'Text message to {masked}',
  'forgot.choose.confirm':
    'To confirm, type the full email address, or the last 4 digits of the phone number',
  'forgot.choose.confirm_hint': 'This makes sure only you can send a code there.',
  'forgot.choose.confirm_email': 'To confirm, type the full email address',
  'forgot.choose.confirm_phone': 'To confirm, type the last 4 digits of the phone number',
  'forgot.choose.confirm_hint_totp':
    'This makes sure only you can send a code there. Nothing to type for an authenticator app.',
  'forgot.code.nothing':
    'Nothing arrived? Check your spam folder, ask for a new code once the button allows it, or use another way. One address gets at most {perDay} codes a day.',
  'forgot.code.resent':
    'If what you typed matched, a new code goes there, unless one was sent there in the last minute. Only the newest code works.',
  'forgot.choose.submit': 'Get code',
  'forgot.choose.none': "I don't have any of these",
  'forgot.choose.second':
    'Two-step verification is on for {account}: give a second proof with another method.',
  'forgot.choose.totp': 'Code from your {masked}',
  'forgot.recovery.title': 'Use your recovery code',
  'forgot.recovery.label': 'Recovery code',
  'forgot.recovery.hint': '25 characters, such as ABCDE-FGHJK-…; dashes, spaces and lower case are fine.',
  'forgot.recovery.new': 'Your recovery code has been used, so here is a new one.',
  'forgot.code.title': 'Enter the code',
  'forgot.code.lead':
    'If what you typed matches {masked}, a code goes there (at most one a minute: if one was sent there in the last minute, use that one, or ask again when the countdown ends). A code is valid for {minutes} minutes.',
  'forgot.code.another': 'Use another way',
  'forgot.new.title': 'Choose a new password',
  'forgot.new.lead':
    'After this, you will be signed out everywhere and we will tell all your contact addresses.',
  'forgot.new.submit': 'Reset password',
  'forgot.none.title': "If you can't use any of your methods",
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

  'totp.title': 'Add an authenticator app',
  'totp.step_install':
    'Install an authenticator app on your phone (for example Microsoft Authenticator, Google Authenticator or 1Password).',
  'totp.step_scan': 'In the app, add an account and scan this QR code.',
  'totp.qr_label': 'QR code to scan with your authenticator app',
  'totp.manual': "Can't scan it? Enter this key in the app instead (time-based):",
  'totp.step_code': 'Enter the 6-digit code the app now shows',
  'totp.submit': 'Finish',
  'recovery.title': 'Your recovery code',
  'recovery.once':
    'This is the only time we show this code. Write it down or print it and keep it somewhere safe.',
  'recovery.keep': 'If you lose access to all your security info, this code gets you back into your account.',
  'recovery.old_invalid': 'Any recovery code you made before no longer works.',
  'recovery.done': 'I have kept it safe',
  'twostep.title': 'Two-step verification',
  'twostep.off_lead':
    'With two-step verification, signing in on a new device needs your password and a second proof: a code by email or SMS, your authenticator app or a passkey.',
  'twostep.on_lead': 'Two-step verification is on. Signing in on a new device needs a second proof.',
  'twostep.need_methods':
    'You have {count, plural, =0 {no verified way} one {# verified way} other {# verified ways}} to prove it is you. Add at least two first, so that losing one does not lock you out.',
  'twostep.turn_on': 'Turn on two-step verification',
  'twostep.turn_off': 'Turn off two-step verification',
  'devices.title': 'Trusted devices',
  'devices.lead':
    'On these devices we do not ask for a second proof at sign-in, for {days} days from when you chose it.',
  'devices.none': 'No trusted devices.',
  'devices.until': 'Trusted until',
  'devices.revoke': 'Remove',
  'devices.revoke_all': 'Remove all trusted devices',
  'security.two_step': 'Two-step verification',
  'security.two_step_on': 'On',
  'security.two_step_off': 'Off',
  'security.manage_two_step': 'Manage two-step verification',
  'security.add_totp': 'Add an authenticator app',
  'security.recovery_code': 'Recovery code',
  'security.recovery_none': 'You have no recovery code yet.',
  'security.recovery_made': 'Created {date}.',
  'security.recovery_create': 'Create a new recovery code',
  'security.devices': 'Trusted devices',
  'security.done.totp': 'Your authenticator app is ready. It is now part of your security info.',
  'security.done.two_step_on': 'Two-step verification is on.',
  'security.done.two_step_off': 'Two-step verification is off.',
  'messages.kind.code': 'Verification code',
  'messages.kind.signup_exists': 'Sign-up attempt notice',
  'messages.kind.method_added': 'Security info added',
  'messages.kind.method_removed': 'Security info removed',
  'messages.kind.password_changed': 'Password changed',
  'messages.kind.password_reset': 'Password reset',
  'messages.kind.two_step_on': 'Two-step verification turned on',
  'messages.kind.two_step_off': 'Two-step verification turned off',
  'messages.kind.recovery_code_created': 'Recovery code created',
  'messages.kind.recovery_code_used': 'Recovery code used',
  'messages.kind.unusual_signin': 'Unusual sign-in alert',
  'messages.kind.account_secured': 'Account secured',
  'messages.kind.other': 'Other message',
  'messages.title': 'Messages we sent you',
  'messages.lead':
    'Every email and SMS we sent for your account. Each email shows its reference at the bottom (text messages carry no reference): if a message claiming to be from us is not in this list, it is not from us.',
  'messages.kind': 'Message',
  'messages.to': 'Sent to',
  'messages.reference': 'Reference',
  'check.title': 'Check a message',
  'check.lead':
    'Got an email that claims to be from Mamori? Paste the reference from its footer to check whether we really sent it.',
  'check.hint': 'For example MMR-7KQ2-XH9D',
  'check.submit': 'Check',
  'check.genuine': 'Genuine: Mamori sent a message with this reference on {date}.',
  'check.not_genuine':
    'We did not send any message with this reference. Do not click its links or reply to it.',
  'phrase.title': 'Personal greeting',
  'phrase.lead':
    'Choose a short greeting of your own, such as “Hello from the blue kite”. We print it at the top of every email we send you, so an email claiming to be from Mamori without it is not from us.',
  'phrase.label': 'Greeting',
  'phrase.hint': 'Up to 40 characters, shown in every email. Leave empty to stop showing it.',
  'phrase.removed': 'Removed. Our emails will no longer start with a greeting.',
  'phrase.saved': 'Saved. It will appear at the top of our next emails to you.',
  'dev.mailbox.title': 'Dev mailbox',
  'dev.mailbox.lead':
    'SMTP_URL is not set, so emails are kept here instead of being sent. This page does not exist in production.',
  'dev.mailbox.smtp': 'SMTP_URL is set: emails are sent over SMTP and do not appear here.',
  'dev.sms.title': 'Dev SMS outbox',
  'dev.sms.lead':
    'No SMS provider is configured, so text messages are kept here. This page does not exist in production.',
  'dev.empty': 'Nothing yet.',

  'code.not_sent_wait': 'We have not sent a new code to {method}: it received one a moment ago.',
  'second.other_way': 'Use another way',
  'error.replacement.recovery_code_too_new':
    'This recovery code was made on {created}. A recovery code can skip the wait only once it is {days} days old, so this one cannot be used before {usable}. The change takes effect on {date} in any case.',
  'security.done.removed_unverified': 'Removed. It had not been verified yet, so nobody was told.',
  'phrase.warning':
    'Anyone who can read your email sees it. It is not a password: never use a password, a PIN or the answer to a security question.',

  'error.request.invalid': 'The request is not valid.',
  'error.request.too_large': 'The request is too large.',
  'error.request.csrf': 'This form has expired. Reload the page and try again.',
  'error.request.not_found': 'This page does not exist.',
  'error.request.rate_limited': 'Too many requests. Try again in {wait}.',
  'error.auth.required': 'Sign in to continue.',
  'error.auth.invalid_credentials': 'That email address or password is not right.',
  'error.auth.reauth_required': 'Confirm it is you first (valid for {minutes} minutes).',
  'error.auth.throttled': 'Too many attempts. Try again in about {wait}.',
  'error.account.email_invalid': 'Enter a valid email address, like name@example.com.',
  'error.account.display_name_invalid': 'Enter your name (up to 64 characters).',
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
  'error.contact.label_invalid': 'Use a label of up to 40 visible characters.',
  'error.phone.invalid': 'This does not look like a valid phone number. Check the country and the number.',
  'error.phone.not_mobile':
    'Enter a mobile number that can receive SMS (not a landline, toll-free or internet phone number).',
  'error.phone.country_unsupported': 'We cannot send SMS to this country or region.',
  'error.phone.country_limit': 'We cannot send more SMS to this country right now. Try again in {wait}.',
  'error.code.wrong': 'That code is not right. {remaining} tries left.',
  'error.code.invalid': 'That code is not right. Check it and try again.',
  'error.code.expired': 'That code has expired. Ask for a new one.',
  'error.code.too_many_attempts': 'Too many wrong codes. Try again in {wait}.',
  'error.code.resend_wait': 'Wait {wait} before asking for a new code.',
  'error.code.daily_limit':
    'Too many codes have been sent to this address today. Try again tomorrow or use another way.',
  'error.code.not_found': 'This code is no longer valid. Start again.',
  'error.reset.flow_invalid':
    'This password reset can no longer be used: it expired, was finished, or the account changed since. Start again.',
  'error.session.not_found': 'That session was not found.',
  'error.two_step.needs_two_methods':
    'Add at least two ways to verify (for example a phone and an authenticator app) before turning on two-step verification.',
  'error.signin.flow_invalid':
    'This sign-in is no longer valid (it expired or the account changed). Sign in again.',
  'error.phrase.invalid': 'Use a greeting of up to 40 visible characters.',
  'error.account.restricted':
    'Not possible while your security info is being replaced (until {date}). Cancel the replacement first if you can still use your old info.',
  'error.replacement.not_found': 'There is no pending change to your security info.',
  'error.replacement.already_pending': 'A change to your security info is already waiting.',
  'error.replacement.invalid': 'Add at least one new email address or phone number, verified with its code.',
  'error.recovery_form.limit':
    'This account already has the most recovery requests allowed today. Try again tomorrow.',
  'error.recovery_form.not_allowed':
    'This account uses two-step verification, so the recovery form cannot be used. Use your recovery code instead.',
  'error.recovery_form.pow_invalid': 'The automatic check did not pass. Reload the page and try again.',
  'error.recovery_form.invalid': 'Some answers are not valid. Check the form.',
  'error.recovery_form.not_found': 'This recovery request was not found or is no longer valid.',
  'error.operator.required': 'Sign in to the operator console.',
  'error.operator.invalid_credentials': 'That operator name or password is not right.',
  'error.notice.invalid': 'Write the notice in Japanese and English, with a subject and a body.',
  'error.notice.not_found': 'That notice was not found.',
  'error.unsubscribe.invalid': 'This unsubscribe link is not valid.',
  'error.internal': 'Something went wrong on our side. Try again in a moment.',
} as const;

/** Every English message: the base set and each capability's own. */
export const en = {
  ...enBase,
  ...mailEn,
  ...mailCodeEn,
  ...mailAccountEn,
  ...replacementEn,
  ...recoveryFormEn,
  ...checkupEn,
  ...noticesEn,
  ...limitsEn,
  ...edgesEn,
  ...securityEn,
  ...inputsEn,
  ...apiEn,
  ...deadendsEn,
  ...reccodeEn,
  ...wordingEn,
  ...orgErrorsEn,
  ...orgMemberEn,
  ...orgActionsEn,
  ...orgConsoleEn,
  ...orgApiEn,
  ...appsConsoleEn,
  ...appsDeliveryEn,
  ...appsOidcEn,
  ...orgNewcomerEn,
} as const;
