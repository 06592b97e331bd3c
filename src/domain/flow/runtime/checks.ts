/** Named validity checks for collected digits. */
import type { NamedCheck } from '../model.js';

export function passesCheck(check: NamedCheck, value: string): boolean {
  switch (check) {
    case 'luhn':
      return luhn(value);
    case 'cn-mobile':
      return isCnMobile(value);
  }
}

/**
 * The Luhn mod-10 check (ISO/IEC 7812-1 Annex B) used by payment card numbers: from the right, double every
 * second digit, subtract 9 from results above 9, and the sum must end in 0.
 */
export function luhn(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * A mainland China mobile number: 11 digits, 1 then 3-9 (the MIIT numbering plan's mobile ranges 13x-19x),
 * optionally dialled with the 86 or 0086 country prefix.
 */
export function isCnMobile(digits: string): boolean {
  return /^(?:0086|86)?1[3-9]\d{9}$/.test(digits);
}
