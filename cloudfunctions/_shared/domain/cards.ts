/**
 * 制证进度's stage rules, pure (docs/materials-and-cards.md): a card's stages only move forward,
 * one step at a time — 已受理 → 制证中 → 已到所可领取 → 已领取, or from 已到所可领取 to 已寄出 when
 * the resident chose post. Asking for the stage a card is already at is "already there"; anything
 * else (a skipped step, a step back, a card already picked up or posted) is out of order.
 */
import type { CardStage, Delivery } from '../../../types/cards'

/** The one stage each stage can be reached from. */
export const PREVIOUS: Record<Exclude<CardStage, 'accepted'>, CardStage> = {
  making: 'accepted',
  ready: 'making',
  picked_up: 'ready',
  posted: 'ready'
}

/** Picked up or posted: the case is over. */
export function isEnded(stage: CardStage): boolean {
  return stage === 'picked_up' || stage === 'posted'
}

export type StepCheck = 'ok' | 'already' | 'out_of_order' | 'not_postal'

/** Whether a card at `current` may move to `target` (with the delivery the resident chose). */
export function checkStep(
  current: CardStage,
  target: Exclude<CardStage, 'accepted'>,
  delivery: Delivery
): StepCheck {
  if (current === target) return 'already'
  if (PREVIOUS[target] !== current) return 'out_of_order'
  if (target === 'posted' && delivery !== 'post') return 'not_postal'
  return 'ok'
}

/** Whether the resident may still change between pickup and post. */
export function deliveryChangeable(stage: CardStage): boolean {
  return !isEnded(stage)
}

/** The stages reached, in order, from the marks a card holds. */
export function reachedStages<T>(marks: Partial<Record<CardStage, T>>): { stage: CardStage; mark: T }[] {
  const order: CardStage[] = ['accepted', 'making', 'ready', 'picked_up', 'posted']
  return order.flatMap((stage) => {
    const mark = marks[stage]
    return mark === undefined ? [] : [{ stage, mark }]
  })
}

/**
 * A batch's receipt numbers sorted into what to do: each input's normalised number (null when
 * invalid), duplicates answered once (the first occurrence), in the order typed.
 */
export function dedupeReceipts(
  inputs: readonly string[],
  normalise: (s: string) => string | null
): { input: string; receipt: string | null; duplicate: boolean }[] {
  const seen = new Set<string>()
  return inputs.map((input) => {
    const receipt = normalise(input)
    const duplicate = receipt !== null && seen.has(receipt)
    if (receipt) seen.add(receipt)
    return { input, receipt, duplicate }
  })
}

/** "浙江省杭州市西湖区" + "文三路 100 号 3 幢" → "浙江省杭州市西湖区文三路****": the region, and the street's first four characters. */
export function maskStreet(region: string, street: string): string {
  const chars = [...street.trim()]
  const keep = Math.min(4, Math.max(0, chars.length - 2))
  return `${region.trim()}${chars.slice(0, keep).join('')}${'*'.repeat(Math.max(2, chars.length - keep))}`
}
