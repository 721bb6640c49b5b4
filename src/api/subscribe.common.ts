/** What both builds' subscribe modules share: template ids for this build's environment. */
import {
  templateIdOf,
  type SubscribeDecision,
  type SubscribeResult,
  type TemplateKey
} from '../../types/templates'

export function subscribeTemplateId(key: TemplateKey): string {
  return templateIdOf(key, CLOUD_ENV)
}

const DECISIONS: readonly string[] = ['accept', 'reject', 'ban', 'filter']

export function decisionFor(result: SubscribeResult, key: TemplateKey): SubscribeDecision | undefined {
  const value = result[subscribeTemplateId(key)]
  return value !== undefined && DECISIONS.includes(value) ? (value as SubscribeDecision) : undefined
}
