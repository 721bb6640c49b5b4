/**
 * Whether a stored text (an audit entry, a log) holds a piece of personal data. A short fragment
 * (a mobile's or ID number's last four) counts only as a whole token, as a masked form shows it
 * ("138****5678"): record ids are random letters and digits and may hold "5678" by chance.
 */
export function holds(text: string, piece: string): boolean {
  if (piece.length > 4) return text.includes(piece)
  return new RegExp(`(?<![0-9A-Za-z])${piece}(?![0-9A-Za-z])`).test(text)
}
