/**
 * Resident identity numbers (GB 11643-1999) and mobile numbers: checked on both sides, shown masked.
 */

/** Province-level codes that open a valid number (first two digits). */
const PROVINCES = new Set([
  '11',
  '12',
  '13',
  '14',
  '15',
  '21',
  '22',
  '23',
  '31',
  '32',
  '33',
  '34',
  '35',
  '36',
  '37',
  '41',
  '42',
  '43',
  '44',
  '45',
  '46',
  '50',
  '51',
  '52',
  '53',
  '54',
  '61',
  '62',
  '63',
  '64',
  '65',
  '71',
  '81',
  '82',
  '83'
])

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
const CHECK = '10X98765432'

/** ISO 7064 MOD 11-2 check character of the first 17 digits. */
export function idCheckCharacter(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * (WEIGHTS[i] as number)
  return CHECK[sum % 11] as string
}

export type IdNumberProblem = 'format' | 'region' | 'birthdate' | 'checksum'

/**
 * Why an ID number is invalid, or null when it is valid. `today` ("YYYY-MM-DD", Shanghai) bounds
 * the birth date: a real date, not in the future, not before 1900.
 */
export function idNumberProblem(value: string, today: string): IdNumberProblem | null {
  const id = value.trim().toUpperCase()
  if (!/^\d{17}[\dX]$/.test(id)) return 'format'
  if (!PROVINCES.has(id.slice(0, 2))) return 'region'
  const birth = `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`
  const [y, m, d] = birth.split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(y, m - 1, d))
  const real = probe.getUTCFullYear() === y && probe.getUTCMonth() === m - 1 && probe.getUTCDate() === d
  if (!real || y < 1900 || birth > today) return 'birthdate'
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return 'checksum'
  return null
}

export const ID_PROBLEM_MESSAGES: Record<IdNumberProblem, string> = {
  format: '身份证号码应为18位，最后一位可以是数字或X',
  region: '身份证号码的前两位不正确，请核对',
  birthdate: '身份证号码中的出生日期不正确，请核对',
  checksum: '身份证号码有误（校验位不符），请逐位核对'
}

/** "110101********123X": the region and the last four, nothing in between. */
export function maskIdNumber(value: string): string {
  const id = value.trim().toUpperCase()
  return id.length < 10
    ? '*'.repeat(id.length)
    : `${id.slice(0, 6)}${'*'.repeat(id.length - 10)}${id.slice(-4)}`
}

export function isMobile(value: string): boolean {
  return /^1[3-9]\d{9}$/.test(value)
}

/** "138****5678" */
export function maskMobile(value: string): string {
  return value.length === 11 ? `${value.slice(0, 3)}****${value.slice(-4)}` : '*'.repeat(value.length)
}

/** "王*" / "欧阳**": the family name only. */
export function maskName(value: string): string {
  const chars = [...value.trim()]
  if (chars.length <= 1) return '*'
  const keep = chars.length >= 4 ? 2 : 1
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep)
}

const ID18 =
  /(?<!\d)([1-9]\d{3})(\d{2}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3}[\dXx])(?![\dXx])/g
const ID15 = /(?<!\d)([1-9]\d{3})(\d{4}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))(\d{3})(?![\dXx])/g
const MOBILE_IN_TEXT = /(?<!\d)((?:\+|00)?86[\s-]?)?(1[3-9]\d)[\s-]?(\d{4})[\s-]?(\d{4})(?!\d)/g
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)/g

/**
 * Masks the personal data a person may type into free text (a comment, a note): resident ID
 * numbers (18 and 15 digits; first 4 and last 4 kept), mainland mobiles (138****5678) and e-mail
 * addresses (z***@example.com). Used by exports and by the local console.
 */
export function maskPersonalText(text: string): string {
  return text
    .replace(ID18, (_m, a: string, mid: string, z: string) => `${a}${'*'.repeat(mid.length)}${z}`)
    .replace(ID15, (_m, a: string, mid: string, z: string) => `${a}${'*'.repeat(mid.length)}${z}`)
    .replace(
      MOBILE_IN_TEXT,
      (_m, prefix: string | undefined, a: string, _b: string, z: string) => `${prefix ?? ''}${a}****${z}`
    )
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
}
