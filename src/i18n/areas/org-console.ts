/** Texts of the organisation console (org-console): navigation, roles, overview, policy, members, reports. */
export const orgConsoleEn = {
  'org.nav.label': 'Organisation console: {org}',
  'org.nav.overview': 'Overview',
  'org.nav.members': 'Members',
  'org.nav.policy': 'Methods policy',
  'org.nav.reports': 'Reports',
  'org.nav.invitations': 'Invitations',
  'org.nav.tokens': 'API tokens',
  'org.nav.audit': 'Audit log',
  'org.role.member': 'Member',
  'org.role.reader': 'Reader',
  'org.role.auth_admin': 'Authentication admin',
  'org.role.org_admin': 'Organisation admin',
} as const;

export const orgConsoleJa: Record<keyof typeof orgConsoleEn, string> = {
  'org.nav.label': '組織の管理：{org}',
  'org.nav.overview': '概要',
  'org.nav.members': 'メンバー',
  'org.nav.policy': '認証方法のポリシー',
  'org.nav.reports': 'レポート',
  'org.nav.invitations': '招待',
  'org.nav.tokens': 'API トークン',
  'org.nav.audit': '監査ログ',
  'org.role.member': 'メンバー',
  'org.role.reader': '閲覧者',
  'org.role.auth_admin': '認証管理者',
  'org.role.org_admin': '組織管理者',
};
