/**
 * Text messages (短信), the second channel for staff alerts: when WeChat cannot deliver an officer's
 * alert (no grant, 43101, any failure), the cloud sends a text through its own SMS open API
 * (`cloudbase.sendSmsV2`) with a URL Link (`urllink.generate`) that opens the request in the
 * mini-program. The platform's limits are described in docs/alerts.md; this file holds the
 * templates and the checks both the functions and the local cloud apply.
 *
 * A text reads: 【signature】 + the template's fixed words with the parameters filled in + the
 * link. The signature is the mini-program's name. The custom part (all parameters together) is at
 * most 30 characters, the whole text without the link at most 70.
 *
 * Template ids are per cloud environment, like subscription templates: notification texts are
 * granted on application in the cloud console; put the granted id under the environment's id in
 * SMS_TEMPLATE_IDS. An environment without an entry uses the local id, which only the local cloud
 * knows, so a forgotten entry fails visibly.
 */

export const SMS_SIGNATURE = '户政便民'
export const SMS_MAX_CUSTOM_CHARS = 30
export const SMS_MAX_TEXT_CHARS = 70
export const SMS_MAX_NUMBERS = 1000
/** A URL Link lives at most this many days. */
export const URL_LINK_MAX_DAYS = 30

export interface SmsTemplateSpec {
  title: string
  /** The fixed words, `{1}`, `{2}` … standing for the parameters in order. */
  text: string
  params: number
}

export const SMS_TEMPLATES = {
  /** An alert for staff: {1} what (e.g. "绿色通道：死亡登记（火化需要）"). */
  staffAlert: { title: '值班提醒', text: '{1}，请尽快打开小程序处理', params: 1 },
  /**
   * A bad review to follow up, for leaders: {1} the occasion (待回访, 回访逾期, 答复逾期), {2} the
   * service, {3} the deadline as people say it ("12月29日（周二）前").
   */
  followUpAlert: { title: '差评回访提醒', text: '居民差评{1}：{2}，期限{3}，请打开小程序处理', params: 3 }
} as const satisfies Record<string, SmsTemplateSpec>

export type SmsTemplateKey = keyof typeof SMS_TEMPLATES

export const SMS_TEMPLATE_IDS: Readonly<Record<string, Readonly<Record<SmsTemplateKey, string>>>> = {
  local: { staffAlert: 'local-sms-staff-alert', followUpAlert: 'local-sms-follow-up-alert' }
  // '<cloud env id>': { staffAlert: '<template id granted in the cloud console>' },
}

export function smsTemplateId(key: SmsTemplateKey, env: string | undefined): string {
  return ((env ? SMS_TEMPLATE_IDS[env] : undefined) ?? SMS_TEMPLATE_IDS.local)?.[key] ?? ''
}

export function findSmsTemplate(
  id: string,
  env: string | undefined
): (SmsTemplateSpec & { key: SmsTemplateKey }) | undefined {
  const ids = (env ? SMS_TEMPLATE_IDS[env] : undefined) ?? SMS_TEMPLATE_IDS.local
  const key = (Object.keys(SMS_TEMPLATES) as SmsTemplateKey[]).find((k) => ids?.[k] === id)
  return key ? { ...SMS_TEMPLATES[key], key } : undefined
}

/** The text as the phone shows it (without the link). */
export function smsText(spec: SmsTemplateSpec, params: readonly string[]): string {
  return `【${SMS_SIGNATURE}】${spec.text.replace(/\{(\d+)\}/g, (_, n: string) => params[Number(n) - 1] ?? '')}`
}

/** Cuts a parameter so that the custom part stays within its limit. */
export function clipSmsParam(text: string, max = SMS_MAX_CUSTOM_CHARS): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()]
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`
}

/** Mainland numbers as the SMS API wants them: +86 and 11 digits. */
export const SMS_NUMBER = /^\+861[3-9]\d{9}$/

export function smsNumber(mobile: string): string | null {
  const digits = mobile.replace(/[\s-]/g, '').replace(/^(?:\+?86|0086)/, '')
  return /^1[3-9]\d{9}$/.test(digits) ? `+86${digits}` : null
}

/** Why a text cannot be sent as asked, or null. Shared by the local cloud's API and the tests. */
export function smsProblem(spec: SmsTemplateSpec, params: unknown, numbers: unknown): string | null {
  if (
    !Array.isArray(params) ||
    params.length !== spec.params ||
    !params.every((p): p is string => typeof p === 'string' && p.length > 0)
  ) {
    return `template_param_list must hold ${spec.params} non-empty string(s)`
  }
  const custom = params.reduce((n: number, p: string) => n + [...p].length, 0)
  if (custom > SMS_MAX_CUSTOM_CHARS)
    return `template_param_list too long: ${custom} > ${SMS_MAX_CUSTOM_CHARS} characters`
  const total = [...smsText(spec, params)].length
  if (total > SMS_MAX_TEXT_CHARS)
    return `text too long: ${total} > ${SMS_MAX_TEXT_CHARS} characters with the signature`
  if (!Array.isArray(numbers) || numbers.length === 0) return 'phone_number_list is empty'
  if (numbers.length > SMS_MAX_NUMBERS) return `phone_number_list holds more than ${SMS_MAX_NUMBERS} numbers`
  const bad = (numbers as unknown[]).find((n) => typeof n !== 'string' || !SMS_NUMBER.test(n))
  if (bad !== undefined) return 'phone_number_list: each number is +86 and 11 digits'
  return null
}
