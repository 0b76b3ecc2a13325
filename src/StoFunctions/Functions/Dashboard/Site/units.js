// Token amounts are decimal strings with up to `decimals` fraction digits (design/api.md); shares are computed
// on the raw integers with BigInt so the chart never rounds a balance.

export function toRaw(text, decimals) {
  const [whole, fraction = ''] = String(text).split('.');
  return BigInt(whole || '0') * 10n ** BigInt(decimals) + BigInt((fraction + '0'.repeat(decimals)).slice(0, decimals) || '0');
}

/** `part / total` as a percentage text with two decimals (truncated), e.g. "92.00". */
export function percentText(part, total) {
  if (total === 0n) return '0.00';
  const hundredths = (part * 10000n) / total;
  return `${hundredths / 100n}.${(hundredths % 100n).toString().padStart(2, '0')}`;
}

/** `raw` as text with exactly `digits` fraction digits (truncated), the way the cap table prints balances. */
export function fixedText(raw, decimals, digits) {
  const unit = 10n ** BigInt(decimals);
  const whole = raw / unit;
  if (digits <= 0) return `${whole}`;
  const fraction = (raw % unit).toString().padStart(decimals, '0').slice(0, digits).padEnd(digits, '0');
  return `${whole}.${fraction}`;
}
