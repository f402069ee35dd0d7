/** Messages of the "no dead ends" work (issue 8, kind 4), kept apart so capabilities can be built in parallel. */
export const deadendsEn = {
  // Password reset: the verified sign-in address as a destination
  'deadends.forgot.signin': 'Email to your sign-in address {masked}',
};

export const deadendsJa: Record<keyof typeof deadendsEn, string> = {
  'deadends.forgot.signin': 'サインイン用メールアドレス {masked} にメール',
};
