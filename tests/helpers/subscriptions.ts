/**
 * A user allows subscription templates, as tapping "允许" on WeChat's sheet does: each one-time
 * template gains one send, a long-term one is allowed from then on. Through the local cloud's
 * own endpoint (the sheet's server side), so the grants are the cloud's, not the app's count.
 */
import { templateIdOf, type TemplateKey } from '../../types/templates'

export async function allowTemplates(
  cloud: { url: string; envId: string },
  openid: string,
  keys: readonly TemplateKey[]
): Promise<void> {
  const tmplIds = keys.map((k) => templateIdOf(k, cloud.envId))
  const res = await fetch(`${cloud.url}/api/local/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': openid },
    body: JSON.stringify({
      tmplIds,
      answers: Object.fromEntries(tmplIds.map((id) => [id, 'accept'])),
      keep: false
    })
  })
  if (res.status !== 200) throw new Error(`allowing ${keys.join(', ')} for ${openid}: HTTP ${res.status}`)
}
