/**
 * The local inbox: delivered subscription messages rendered as a phone shows them in 服务通知
 * (title, keyword labels and values, time, "进入小程序查看" opening the H5 app at the message's
 * page), plus — local only, a phone never shows them — the user's grants and the sends that were
 * refused, with a plain explanation. Pure rendering: every value is HTML-escaped here.
 */
import { findTemplateById, validateMessageData } from '../../types/templates'
import type { SentMessage } from '../context'
import type { LocalAccount } from '../product'
import type { Grant, Recipient } from './ledger'
import type { SentSms } from './sms'

export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string
  )
}

const SHANGHAI_OFFSET_MS = 8 * 3600 * 1000

/** "11月27日 09:30" in Asia/Shanghai (fixed +8 h), whatever the host's zone. */
export function phoneTime(at: Date): string {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS)
  const pad = (n: number): string => String(n).padStart(2, '0')
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

function fullTime(at: Date): string {
  const d = new Date(at.getTime() + SHANGHAI_OFFSET_MS)
  return `${d.getUTCFullYear()}年${phoneTime(at)}`
}

/** The H5 app's address of a mini-program page (hash routing): pages/x/index?id=1 → /#/pages/x/index?id=1. */
export function appLink(page: string): string {
  return `/#/${page.replace(/^\/+/, '')}`
}

/** Why a send was refused, in plain words for the developer reading the inbox or the console. */
export function refusalHint(message: SentMessage, envId: string): string {
  switch (message.errCode) {
    case -604101:
      return '发送的云函数没有在 config.json 的 permissions.openapi 里声明 subscribeMessage.send'
    case 40003:
      return '接收人的 openid 不正确'
    case 40037:
      return '模板 id 不是本环境的订阅消息模板（见 types/templates.ts）'
    case 41030:
      return 'page 不是小程序里的页面：应写成 pages/…/index（不以 / 开头），并已在 src/app.config.ts 中登记'
    case 43101:
      return '用户没有订阅这个模板，或一次性订阅已经用完（每次同意只能发一条）'
    case 47003: {
      const template = findTemplateById(message.templateId, envId)
      const bad = template ? validateMessageData(template, message.data) : null
      return bad ? `消息内容不符合模板要求：${bad.hint}` : '消息内容不符合模板要求'
    }
    default:
      return '发送失败'
  }
}

/** What the inbox knows of the product: its name, and labels for known openids. */
export interface InboxView {
  appName?: string
  accounts?: readonly LocalAccount[]
}

function accountLabel(view: InboxView, openid: string): string | undefined {
  return view.accounts?.find((a) => a.openid === openid)?.label
}

const STYLE = `
  * { box-sizing: border-box; }
  body { margin: 0; background: #ededed; color: #1f2329; font: 18px/1.5 -apple-system, 'PingFang SC', 'Noto Sans CJK SC', 'Microsoft YaHei', sans-serif; }
  header { background: #1d4f91; color: #fff; padding: 14px 16px; }
  header h1 { margin: 0; font-size: 22px; }
  header p { margin: 4px 0 0; font-size: 16px; }
  header a { color: #fff; }
  main { max-width: 480px; margin: 0 auto; padding: 12px; }
  .msg { background: #fff; border-radius: 10px; margin: 0 0 16px; overflow: hidden; }
  .msg-head { display: flex; justify-content: space-between; align-items: center; padding: 14px 16px 0; color: #4e5969; font-size: 16px; }
  .msg h2 { font-size: 20px; margin: 6px 16px 10px; }
  .msg dl { margin: 0 16px 12px; display: grid; grid-template-columns: max-content 1fr; gap: 6px 14px; }
  .msg dt { color: #4e5969; }
  .msg dd { margin: 0; word-break: break-all; }
  .msg .open { display: flex; justify-content: space-between; align-items: center; min-height: 60px; padding: 0 16px; border-top: 1px solid #e5e6eb; color: #1f2329; text-decoration: none; }
  .msg .open:focus, .msg .open:hover { background: #f2f3f5; }
  .section { font-size: 18px; color: #4e5969; margin: 24px 4px 8px; }
  .users a, .row { display: flex; justify-content: space-between; align-items: center; min-height: 60px; background: #fff; border-radius: 10px; margin: 0 0 10px; padding: 8px 16px; color: #1f2329; text-decoration: none; }
  .users a:focus, .users a:hover { background: #f2f3f5; }
  .refused { border-left: 6px solid #a8071a; }
  .refused strong { color: #a8071a; }
  .small { font-size: 16px; color: #4e5969; }
  .empty { text-align: center; color: #4e5969; padding: 32px 8px; }
`

function page(title: string, heading: string, subtitle: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><h1>${escapeHtml(heading)}</h1><p>${subtitle}</p></header><main>${body}</main></body></html>`
}

/** "+8613800000001" → "138****0001": enough to tell the demo phones apart. */
function maskNumber(n: string): string {
  const d = n.replace(/^\+86/, '')
  return d.length === 11 ? `${d.slice(0, 3)}****${d.slice(7)}` : '***'
}

function renderText(s: SentSms): string {
  const to = s.numbers.map(maskNumber).join('、')
  const link = s.linkPage
    ? ` <a href="${escapeHtml(appLink(s.linkPage))}" data-testid="sms-link">${escapeHtml(s.urlLink)}</a>`
    : ''
  const failed = s.errCode !== 0
  return `<div class="row${failed ? ' refused' : ''}" data-testid="inbox-sms"><span>${failed ? '<strong>未发出</strong> ' : ''}${escapeHtml(s.text || s.params.join(' '))}${link}<br>
    <span class="small">发往 ${escapeHtml(to)}${failed ? ` · ${escapeHtml(`${s.errCode} ${s.errMsg}`)}` : ''}</span></span><span class="small">${escapeHtml(phoneTime(s.at))}</span></div>`
}

export function renderRecipients(
  recipients: Recipient[],
  texts: SentSms[] = [],
  view: InboxView = {}
): string {
  const rows = recipients.map((r) => {
    const label = accountLabel(view, r.touser)
    const name = label
      ? `${escapeHtml(label)} <span class="small">${escapeHtml(r.touser)}</span>`
      : escapeHtml(r.touser)
    const counts = `${r.delivered} 条${r.refused ? `，未送达 ${r.refused} 条` : ''}`
    return `<a href="/inbox?openid=${encodeURIComponent(r.touser)}" data-testid="inbox-user"><span>${name}</span><span class="small">${counts} ›</span></a>`
  })
  const users = rows.length
    ? `<div class="users">${rows.join('')}</div>`
    : `<p class="empty">还没有发出过订阅消息。</p>`
  const sms = texts.length
    ? `<h3 class="section">短信（微信提醒送不到时发给工作人员的手机）</h3>${texts.map(renderText).join('')}`
    : ''
  const body = users + sms
  return page(
    '本地消息收件箱',
    '本地消息收件箱',
    '本地云发出的订阅消息，按接收人查看（仅本地运行时有）',
    body
  )
}

function renderMessage(m: SentMessage, envId: string, appName: string): string {
  const template = findTemplateById(m.templateId, envId)
  // As on a phone: the template's keywords in its order (keys it lacks are not shown).
  const fields = template
    ? template.keywords.map((k) => ({ label: k.label, value: m.data[k.key]?.value ?? '' }))
    : Object.entries(m.data).map(([key, { value }]) => ({ label: key, value }))
  const rows = fields.map((f) => `<dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd>`)
  const open = m.page
    ? `<a class="open" href="${escapeHtml(appLink(m.page))}" data-testid="open-app"><span>进入小程序查看</span><span aria-hidden="true">›</span></a>`
    : ''
  return `<article class="msg" data-testid="inbox-message">
    <div class="msg-head"><span>${escapeHtml(appName)}</span><time title="${escapeHtml(fullTime(m.at))}">${escapeHtml(phoneTime(m.at))}</time></div>
    <h2>${escapeHtml(m.templateTitle ?? '订阅消息')}</h2>
    <dl>${rows.join('')}</dl>${open}
  </article>`
}

function renderGrant(g: Grant, envId: string): string {
  const title = findTemplateById(g.templateId, envId)?.title ?? g.templateId
  const state = g.longTerm ? '长期订阅：已开启' : `一次性订阅：还可发送 ${g.oneTime} 条`
  const kept = g.kept ? `，已选“总是${g.kept === 'accept' ? '允许' : '拒绝'}，不再询问”` : ''
  return `<div class="row" data-testid="inbox-grant"><span>${escapeHtml(title)}</span><span class="small">${escapeHtml(state + kept)}</span></div>`
}

export function renderUserInbox(
  openid: string,
  messages: SentMessage[],
  grants: Grant[],
  envId: string,
  view: InboxView = {}
): string {
  const delivered = messages.filter((m) => m.errCode === 0)
  const refused = messages.filter((m) => m.errCode !== 0)
  const label = accountLabel(view, openid)
  const who = `${label ? `${escapeHtml(label)}（${escapeHtml(openid)}）` : escapeHtml(openid)} · <a href="/inbox">全部接收人</a>`
  const parts: string[] = []
  parts.push(
    delivered.length
      ? delivered.map((m) => renderMessage(m, envId, view.appName ?? '小程序')).join('')
      : '<p class="empty">还没有收到服务通知。</p>'
  )
  if (grants.length)
    parts.push(
      `<h3 class="section">订阅情况（仅本地可见）</h3>${grants.map((g) => renderGrant(g, envId)).join('')}`
    )
  if (refused.length) {
    parts.push(
      `<h3 class="section">未送达的消息（仅本地可见，手机上不会出现）</h3>` +
        refused
          .map(
            (
              m
            ) => `<div class="row refused" data-testid="inbox-refused"><span><strong>${escapeHtml(m.templateTitle ?? m.templateId)}</strong><br>
              <span class="small">${escapeHtml(refusalHint(m, envId))}</span><br><span class="small">${escapeHtml(m.errCode + ' ' + m.errMsg)}</span></span>
              <span class="small">${escapeHtml(phoneTime(m.at))}</span></div>`
          )
          .join('')
    )
  }
  return page(`服务通知 - ${label ?? openid}`, '服务通知', who, parts.join(''))
}
