/** Japanese (公用文) messages: verifiable certificates (Open Badges 3.0). */
export const jaCredential = {
  'credential.download': 'デジタル証明書（Open Badges）',
  'credential.coordinatorDownload': '協働コーディネーター認定のデジタル証明書（Open Badges）',
  'credential.hint': '電子署名付きの証明書です。提出先は、県に問い合わせることなく、内容と有効性を確認できます。',
  'credential.revoked': 'この修了証または認定は取り消されているため、デジタル証明書は発行できません。',
} as const;
