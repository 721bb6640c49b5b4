/**
 * The H5 subscription sheet's decisions, as pure functions (the DOM part, sheet.h5.ts, stays
 * thin). Mirrors WeChat's sheet: one switch per template, "总是保持以上选择，不再询问", and the
 * buttons 取消 (refuse all) / 允许 (allow the switched-on ones).
 */

export interface SheetItem {
  id: string
  title: string
  kind: 'one-time' | 'long-term'
}

export type SheetAction = 'allow' | 'cancel'

export interface SheetAnswer {
  answers: Record<string, 'accept' | 'reject'>
  keep: boolean
}

/** What the sheet's buttons mean for each template shown. */
export function sheetAnswer(
  items: readonly SheetItem[],
  switchedOn: ReadonlySet<string>,
  action: SheetAction,
  keep: boolean
): SheetAnswer {
  const answers: Record<string, 'accept' | 'reject'> = {}
  for (const item of items)
    answers[item.id] = action === 'allow' && switchedOn.has(item.id) ? 'accept' : 'reject'
  return { answers, keep }
}

/** The sheet's words, plain and short. */
export function sheetText(
  appName: string,
  items: readonly SheetItem[]
): { heading: string; note: string; keep: string; allow: string; cancel: string } {
  const longTerm = items.some((i) => i.kind === 'long-term')
  return {
    heading: `“${appName}”想给您发送以下通知`,
    note: longTerm ? '同意后，有新情况都会通知您，可随时在设置中关闭。' : '每同意一次，可以收到一条通知。',
    keep: '总是保持以上选择，不再询问',
    allow: '允许',
    cancel: '取消'
  }
}

/** Event types that count as the user's tap (a trusted one), as WeChat requires for its sheet. */
const TAP_EVENTS = new Set(['click', 'tap', 'touchend', 'pointerup', 'mouseup', 'keydown', 'keyup', 'submit'])

/**
 * True when called while a trusted tap is being handled: WeChat shows the sheet only from a tap
 * handler, before anything is awaited ("can only be invoked by user TAP gesture").
 * `current` is the event being dispatched (window.event: null between events), or undefined where
 * the browser has no window.event — then `activation` (navigator.userActivation.isActive) decides.
 */
export function isTapGesture(
  current: { type: string; isTrusted: boolean } | null | undefined,
  activation?: boolean
): boolean {
  if (current === undefined) return activation === true
  return current !== null && current.isTrusted && TAP_EVENTS.has(current.type)
}
