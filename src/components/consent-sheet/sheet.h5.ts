/**
 * H5 build only: the subscription sheet WeChat shows for wx.requestSubscribeMessage, drawn with
 * plain DOM over the page (the mini-program never bundles this; WeChat draws its own sheet).
 * Large tap targets (≥ 52 px; ≥ 64 px in elder mode), plain words, dark text on white.
 */
import { sheetAnswer, sheetText, type SheetAnswer, type SheetItem } from './logic'

const STYLE_ID = 'hk-subscribe-sheet-style'

const CSS = `
.hk-sub-mask { position: fixed; inset: 0; background: rgba(0,0,0,.55); z-index: 10000; display: flex; align-items: flex-end; justify-content: center; }
.hk-sub-sheet { background: #fff; color: #1f2329; width: 100%; max-width: 560px; border-radius: 16px 16px 0 0; padding: 20px 20px 24px;
  font: 18px/1.5 -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; box-sizing: border-box; }
.hk-sub-sheet h2 { font-size: 20px; margin: 0 0 6px; font-weight: 600; }
.hk-sub-note { color: #4e5969; margin: 0 0 12px; }
.hk-sub-row { display: flex; align-items: center; justify-content: space-between; gap: 12px; min-height: 52px; border-top: 1px solid #e5e6eb; cursor: pointer; }
.hk-sub-row input, .hk-sub-keep input { width: 28px; height: 28px; accent-color: #1d4f91; flex: none; }
.hk-sub-keep { display: flex; align-items: center; gap: 12px; min-height: 52px; border-top: 1px solid #e5e6eb; color: #4e5969; cursor: pointer; }
.hk-sub-buttons { display: flex; gap: 12px; margin-top: 12px; }
.hk-sub-buttons button { flex: 1; min-height: 52px; border-radius: 10px; font: inherit; font-weight: 600; cursor: pointer; }
.hk-sub-cancel { background: #eef2f8; color: #1d4f91; border: 2px solid #1d4f91; }
.hk-sub-allow { background: #1d4f91; color: #fff; border: 2px solid #1d4f91; }
.hk-sub-buttons button:focus-visible, .hk-sub-row input:focus-visible, .hk-sub-keep input:focus-visible { outline: 3px solid #f7ba1e; outline-offset: 2px; }
.hk-sub-elder .hk-sub-sheet { font-size: 24px; }
.hk-sub-elder .hk-sub-sheet h2 { font-size: 28px; }
.hk-sub-elder .hk-sub-row, .hk-sub-elder .hk-sub-keep, .hk-sub-elder .hk-sub-buttons button { min-height: 64px; }
.hk-sub-elder .hk-sub-note, .hk-sub-elder .hk-sub-keep { color: #1f1f1f; }
.hk-sub-elder .hk-sub-row input, .hk-sub-elder .hk-sub-keep input { width: 36px; height: 36px; }
`

function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Partial<HTMLElementTagNameMap[K]> = {},
  ...children: (Node | string)[]
): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), props)
  for (const c of children) node.append(c)
  return node
}

/** Shows the sheet; resolves with the user's answers once a button is pressed (Esc = 取消). */
export function showSubscribeSheet(
  appName: string,
  items: readonly SheetItem[],
  elder: boolean
): Promise<SheetAnswer> {
  if (!document.getElementById(STYLE_ID))
    document.head.append(el('style', { id: STYLE_ID, textContent: CSS }))
  const text = sheetText(appName, items)
  const switchedOn = new Set(items.map((i) => i.id))

  return new Promise((resolve) => {
    const heading = el('h2', { id: 'hk-sub-heading', textContent: text.heading })
    const rows = items.map((item) => {
      const box = el('input', { type: 'checkbox', checked: true })
      box.dataset.testid = 'subscribe-item'
      box.dataset.tmplId = item.id
      box.addEventListener('change', () =>
        box.checked ? switchedOn.add(item.id) : switchedOn.delete(item.id)
      )
      return el('label', { className: 'hk-sub-row' }, el('span', { textContent: item.title }), box)
    })
    const keepBox = el('input', { type: 'checkbox', checked: false })
    keepBox.dataset.testid = 'subscribe-keep'
    const cancel = el('button', { type: 'button', className: 'hk-sub-cancel', textContent: text.cancel })
    cancel.dataset.testid = 'subscribe-cancel'
    const allow = el('button', { type: 'button', className: 'hk-sub-allow', textContent: text.allow })
    allow.dataset.testid = 'subscribe-allow'
    const sheet = el(
      'div',
      { className: 'hk-sub-sheet' },
      heading,
      el('p', { className: 'hk-sub-note', textContent: text.note }),
      ...rows,
      el('label', { className: 'hk-sub-keep' }, keepBox, el('span', { textContent: text.keep })),
      el('div', { className: 'hk-sub-buttons' }, cancel, allow)
    )
    sheet.setAttribute('role', 'dialog')
    sheet.setAttribute('aria-modal', 'true')
    sheet.setAttribute('aria-labelledby', heading.id)
    sheet.dataset.testid = 'subscribe-sheet'
    const mask = el('div', { className: elder ? 'hk-sub-mask hk-sub-elder' : 'hk-sub-mask' }, sheet)

    const finish = (action: 'allow' | 'cancel'): void => {
      document.removeEventListener('keydown', onKey, true)
      mask.remove()
      resolve(sheetAnswer(items, switchedOn, action, keepBox.checked))
    }
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') finish('cancel')
    }
    cancel.addEventListener('click', () => finish('cancel'))
    allow.addEventListener('click', () => finish('allow'))
    document.addEventListener('keydown', onKey, true)
    document.body.append(mask)
    allow.focus()
  })
}
