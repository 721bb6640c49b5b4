/**
 * Message ids that live in the code per cloud environment: subscription templates
 * (types/templates.ts TEMPLATE_IDS) and text message templates (types/sms.ts SMS_TEMPLATE_IDS).
 * An environment without its own ids falls back to the local ones, which WeChat rejects: the app
 * works, but those messages fail visibly. The deploy warns rather than refuses, since the
 * templates are granted by WeChat days after the first deploy.
 */
import { SMS_TEMPLATE_IDS, SMS_TEMPLATES } from '../../../types/sms'
import { TEMPLATE_IDS, TEMPLATE_KEYS } from '../../../types/templates'

export function messageWarnings(cloudEnv: string | undefined): string[] {
  if (!cloudEnv) return ['CLOUD_ENV is not set: cannot check the message template ids of the environment']
  const warnings: string[] = []
  const ids = TEMPLATE_IDS[cloudEnv]
  if (!ids)
    warnings.push(
      `subscription messages: TEMPLATE_IDS has no entry for "${cloudEnv}" (types/templates.ts): residents and staff get no WeChat messages (40037) until you add the template ids`
    )
  else {
    const blank = TEMPLATE_KEYS.filter((k) => !ids[k]?.id || ids[k].id.startsWith('local-'))
    if (blank.length)
      warnings.push(
        `subscription messages: no real template id for ${blank.join(', ')} in TEMPLATE_IDS["${cloudEnv}"]`
      )
  }
  const sms = SMS_TEMPLATE_IDS[cloudEnv]
  const smsKeys = Object.keys(SMS_TEMPLATES) as (keyof typeof SMS_TEMPLATES)[]
  if (!sms)
    warnings.push(
      `text messages: SMS_TEMPLATE_IDS has no entry for "${cloudEnv}" (types/sms.ts): staff alerts cannot fall back to a text message`
    )
  else {
    const blank = smsKeys.filter((k) => !sms[k] || sms[k].startsWith('local-'))
    if (blank.length)
      warnings.push(
        `text messages: no real template id for ${blank.join(', ')} in SMS_TEMPLATE_IDS["${cloudEnv}"]`
      )
  }
  return warnings
}
