/**
 * Resident ID numbers are stored protected (PIPL): AES-256-GCM with the key from the function's
 * environment variable HUKOU_DATA_KEY (32 bytes, base64), set in the cloud console for each
 * function that handles them (the local cloud generates one per data folder). Only the masked
 * form is ever shown.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto'
import { AppError } from './handler'

function key(): Buffer {
  const raw = process.env.HUKOU_DATA_KEY
  const k = raw ? Buffer.from(raw, 'base64') : undefined
  if (!k || k.length !== 32) {
    console.error('HUKOU_DATA_KEY is missing or not 32 bytes of base64: refusing to store an ID number')
    throw new AppError('INTERNAL')
  }
  return k
}

/** "v1:<iv>:<tag>:<ciphertext>", all base64. */
export function protect(plain: string): string {
  const iv = randomBytes(12)
  const cipher = createCipheriv('aes-256-gcm', key(), iv)
  const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
  return ['v1', iv.toString('base64'), cipher.getAuthTag().toString('base64'), data.toString('base64')].join(
    ':'
  )
}

/**
 * Who a booking serves, as a key that names no one: an HMAC of the ID number under the data key
 * (so the same person gives the same key from any account, and the key cannot be reversed or
 * recomputed without the data key), or, without an ID number, a digest of the account and the
 * applicant's name (the same name on one account is taken as the same person). It keys the
 * once-a-day rule per person served (docs/booking-rules.md).
 */
export function personKey(openid: string, applicant: { name: string; idNumber?: string }): string {
  if (applicant.idNumber)
    return `id-${createHmac('sha256', key()).update(`person:${applicant.idNumber.toUpperCase()}`).digest('hex').slice(0, 32)}`
  const name = applicant.name.normalize('NFKC').replace(/\s+/g, '')
  return `ac-${createHmac('sha256', 'account-person').update(`${openid}|${name}`).digest('hex').slice(0, 32)}`
}

export function unprotect(sealed: string): string {
  const [version, iv, tag, data] = sealed.split(':')
  if (version !== 'v1' || !iv || !tag || !data) throw new Error('not a protected value')
  const decipher = createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64'))
  decipher.setAuthTag(Buffer.from(tag, 'base64'))
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8')
}
