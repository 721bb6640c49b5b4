/**
 * The step bar of one card on 制证进度: 已受理 → 制证中 → 已到所 → the last step. The last step is
 * what happened once the card's case is over — 已领取 when it was collected at the window (even if
 * post had been chosen), 已寄出 when posted — and, while it is open, what the resident chose.
 */
import { CARD_STAGE_LABELS, type CardStage, type CardView } from '../../../types/cards'

export interface CardSteps {
  steps: { key: CardStage; label: string }[]
  /** The index of the step the card is at. */
  reached: number
}

export function cardSteps(card: Pick<CardView, 'status' | 'delivery'>): CardSteps {
  const last: CardStage =
    card.status === 'picked_up' || card.status === 'posted'
      ? card.status
      : card.delivery === 'post'
        ? 'posted'
        : 'picked_up'
  const keys: CardStage[] = ['accepted', 'making', 'ready', last]
  return {
    steps: keys.map((key) => ({ key, label: key === 'ready' ? '已到所' : CARD_STAGE_LABELS[key] })),
    reached: Math.max(0, keys.indexOf(card.status))
  }
}
