/**
 * Temporary URLs: `/storage/f/<path, base64url>?g=<generation>&e=<expiry, unix seconds>&s=<signature>`.
 * The signature is an HMAC-SHA256 over the path, the file's generation (a name for one upload,
 * service.ts) and the expiry with a secret kept in the data folder (`storage/url-secret`, made on
 * first use), so a URL stays valid across restarts and a changed path, generation or expiry no
 * longer verifies. The server serves a URL only while the file's current generation is the one
 * signed: a URL handed out before a delete never serves what is uploaded later at the same path. Expiry is judged by the local cloud's clock (moving the clock
 * ages every URL). The path travels as base64url so the URL survives any re-encoding a client
 * applies (the SDK runs encodeURI over it before downloading).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export function loadUrlSecret(storageDir: string): Buffer {
  const file = path.join(storageDir, 'url-secret')
  if (fs.existsSync(file)) {
    const kept = Buffer.from(fs.readFileSync(file, 'utf8').trim(), 'base64')
    if (kept.length >= 32) return kept
  }
  const secret = randomBytes(32)
  fs.mkdirSync(storageDir, { recursive: true })
  fs.writeFileSync(file, secret.toString('base64'), { mode: 0o600 })
  return secret
}

export function encodePath(cloudPath: string): string {
  return Buffer.from(cloudPath, 'utf8').toString('base64url')
}

/** The path inside an encoded segment, or null when the segment is not canonical base64url. */
export function decodePath(segment: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return null
  const cloudPath = Buffer.from(segment, 'base64url').toString('utf8')
  // Only the one encoding of a path is accepted (no padding variants, no stray bits).
  return encodePath(cloudPath) === segment ? cloudPath : null
}

function mac(secret: Buffer, cloudPath: string, generation: string, expiresSec: number): string {
  return createHmac('sha256', secret).update(`${cloudPath}\n${generation}\n${expiresSec}`).digest('base64url')
}

/**
 * The path and query of a temporary URL for the upload `generation` of `cloudPath`, valid until
 * `expiresSec` (unix seconds).
 */
export function signedPath(
  secret: Buffer,
  cloudPath: string,
  generation: string,
  expiresSec: number
): string {
  const query = `g=${encodeURIComponent(generation)}&e=${expiresSec}`
  return `/storage/f/${encodePath(cloudPath)}?${query}&s=${mac(secret, cloudPath, generation, expiresSec)}`
}

export type UrlCheck =
  { ok: true; cloudPath: string; generation: string } | { ok: false; reason: 'bad' | 'expired' }

/** The parts of a temporary URL as they arrived (null when missing). */
export interface UrlParts {
  segment: string
  generation: string | null
  expiry: string | null
  signature: string | null
}

/** Checks a temporary URL's parts against the secret and the time now (ms). */
export function checkSigned(secret: Buffer, parts: UrlParts, nowMs: number): UrlCheck {
  const { expiry, signature, generation } = parts
  const cloudPath = decodePath(parts.segment)
  if (
    cloudPath === null ||
    generation === null ||
    expiry === null ||
    signature === null ||
    !/^\d{1,12}$/.test(expiry)
  )
    return { ok: false, reason: 'bad' }
  const expected = Buffer.from(mac(secret, cloudPath, generation, Number(expiry)))
  const given = Buffer.from(signature)
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'bad' }
  if (Number(expiry) * 1000 <= nowMs) return { ok: false, reason: 'expired' }
  return { ok: true, cloudPath, generation }
}
