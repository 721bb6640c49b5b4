/**
 * Booking codes residents read out or show at the window: 6 characters from an alphabet without
 * look-alikes (no 0/O, 1/I/L, U/V), shown as "K7P 29X". 29^6 ≈ 594 million codes; a unique index
 * catches the rare collision and the booking retries with a new code.
 */
export const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTWXYZ'

export const CODE_LENGTH = 6

/** What an officer types or a scanner reads, back to the stored form ("k7p 29x" → "K7P29X"). */
export function normaliseBookingCode(input: string): string | null {
  const code = input.toUpperCase().replace(/[\s-]/g, '')
  return code.length === CODE_LENGTH && [...code].every((c) => CODE_ALPHABET.includes(c)) ? code : null
}

export function formatBookingCode(code: string): string {
  return `${code.slice(0, 3)} ${code.slice(3)}`
}
