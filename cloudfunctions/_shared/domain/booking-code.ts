/** New booking codes (the format and its parsing are shared with the app: types/booking-code.ts). */
import { CODE_ALPHABET, CODE_LENGTH } from '../../../types/booking-code'

export { formatBookingCode, normaliseBookingCode } from '../../../types/booking-code'

export function newBookingCode(random: (n: number) => number = (n) => Math.floor(Math.random() * n)): string {
  let code = ''
  for (let i = 0; i < CODE_LENGTH; i++) code += CODE_ALPHABET[random(CODE_ALPHABET.length)]
  return code
}
