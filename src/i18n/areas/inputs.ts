/**
 * Messages about what people type (issue 8, kinds 5, 7 and 9): code formats, message references, readable
 * devices, the checkup score, the operator console. Kept apart so capabilities can be built in parallel.
 */
export const inputsEn = {
  'error.code.format': 'Enter the 6 digits of the code. Spaces and hyphens are fine.',
  'error.recovery_code.format':
    'A recovery code has 25 letters and digits, like ABCDE-FGHJK-…. Check that you typed all of it.',
  'error.reference.invalid':
    'That is not a message reference. A reference looks like MMR-7KQ2-XH9D and is printed at the end of every email and text message from Mamori.',
};

export const inputsJa: Record<keyof typeof inputsEn, string> = {
  'error.code.format': 'コードは6桁の数字で入力してください。スペースやハイフンは入れても構いません。',
  'error.recovery_code.format':
    '回復コードは英数字25文字です（例：ABCDE-FGHJK-…）。すべて入力されているか確認してください。',
  'error.reference.invalid':
    '参照番号の形式ではありません。参照番号は MMR-7KQ2-XH9D のような形で、Mamori からのメールと SMS の末尾に記載されています。',
};
