/**
 * The console's pages, server-rendered from the local cloud's live state. Every value shown goes
 * through mask.ts (personal data) and the `html` tag (escaping).
 */
import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'
import { maskId, type CloudServices, type InvocationLog, type SentMessage } from '../context'
import type { FunctionConfig } from '../functions/pool'
import { href, html, type Html, type Section } from './html'
import { maskDocument, maskMessageData, maskText } from './mask'
import {
  ConsoleError,
  PAGE_SIZES,
  pageOf,
  parseFilter,
  parsePaging,
  parseSort,
  selectDocs,
  type PageOf
} from './query'

dayjs.extend(utc)

export interface Page {
  status: number
  title: string
  section: Section
  body: Html
}

const SHANGHAI_OFFSET_MINUTES = 8 * 60

/** "2026-01-15 09:30:00" on Shanghai's clocks (fixed +8 h, never the host's zone). */
export function shanghaiTime(instant: Date | number): string {
  return dayjs.utc(instant).utcOffset(SHANGHAI_OFFSET_MINUTES).format('YYYY-MM-DD HH:mm:ss')
}

function describeOffset(ms: number): string {
  const abs = Math.abs(ms)
  const days = Math.floor(abs / 86_400_000)
  const hours = Math.floor((abs % 86_400_000) / 3_600_000)
  const minutes = Math.round((abs % 3_600_000) / 60_000)
  const parts = [
    days ? `${days} 天` : '',
    hours ? `${hours} 小时` : '',
    minutes ? `${minutes} 分钟` : ''
  ].filter(Boolean)
  return `${ms > 0 ? '快' : '慢'} ${parts.join(' ') || '不到 1 分钟'}`
}

function collectionHref(name: string, params: Record<string, string | number | undefined> = {}): string {
  return href(`/console/collections/${encodeURIComponent(name)}`, params)
}

function readConfig(cloud: CloudServices, name: string): FunctionConfig | Error {
  try {
    return cloud.pool.config(name)
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err))
  }
}

function pager<T>(page: PageOf<T>, link: (page: number) => string): Html {
  return html`<nav class="pager" aria-label="分页">
  <span>第 ${page.page} / ${page.pages} 页（共 ${page.total} 条）</span>
  ${page.page > 1 ? html`<a href="${link(page.page - 1)}" rel="prev">‹ 上一页 Prev</a>` : ''}
  ${page.page < page.pages ? html`<a href="${link(page.page + 1)}" rel="next">下一页 Next ›</a>` : ''}
</nav>`
}

function sizeSelect(current: number): Html {
  return html`<label>每页 Page size<select name="size">${PAGE_SIZES.map(
    (s) => html`<option value="${s}"${s === current ? html` selected` : ''}>${s}</option>`
  )}</select></label>`
}

const MASK_NOTE = html`<p class="muted">个人信息（手机号、身份证号、姓名、openid、地址等）在此控制台与导出文件中一律脱敏显示。Personal data is masked on every page and in exports.</p>`

/* ---------------- overview ---------------- */

export function overviewPage(cloud: CloudServices): Page {
  const now = cloud.clock.now()
  const offset = cloud.clock.offset
  const names = cloud.store.collectionNames()
  const functions = cloud.pool.functionNames()
  const calls = new Map<string, { total: number; failed: number }>()
  for (const entry of cloud.invocations) {
    const c = calls.get(entry.fn) ?? { total: 0, failed: 0 }
    c.total++
    if (!entry.ok) c.failed++
    calls.set(entry.fn, c)
  }

  const body = html`<h1>概览 Overview</h1>
<dl class="kv" data-testid="environment">
  <dt>环境 Environment</dt><dd><code>${cloud.envId}</code></dd>
  <dt>AppID</dt><dd><code>${cloud.appId}</code></dd>
  <dt>云端时钟 Cloud clock</dt><dd data-testid="clock"><strong>${shanghaiTime(now)}</strong> 北京时间 Asia/Shanghai (UTC+8)
    · <code>${new Date(now).toISOString()}</code> UTC
    ${Math.abs(offset) >= 1000 ? html`<span class="bad">· 已调整：比本机时间${describeOffset(offset)}（clock offset ${Math.round(offset / 1000)} s）</span>` : ''}</dd>
</dl>

<h2 id="collections">数据库集合 Collections</h2>
<table data-testid="collections">
<thead><tr><th>集合 Collection</th><th>文档数 Documents</th><th>索引 Indexes</th><th>说明 Description</th></tr></thead>
<tbody>${names.map((name) => {
    const spec = cloud.collections.find((c) => c.name === name)
    return html`<tr data-collection="${name}"><td><a href="${collectionHref(name)}">${name}</a></td><td>${cloud.store.count(name)}</td><td>${
      cloud.store
        .indexesOf(name)
        .map((i) => i.name)
        .join(', ') || '—'
    }</td><td>${spec?.description ?? html`<span class="muted">未声明 (not declared)</span>`}</td></tr>`
  })}</tbody>
</table>

<h2>云函数 Functions</h2>
${
  functions.length === 0
    ? html`<p class="empty">还没有可调用的云函数：请运行 npm run build:functions。</p>`
    : html`<table data-testid="functions">
<thead><tr><th>函数 Function</th><th>超时 Timeout</th><th>开放接口权限 permissions.openapi</th><th>定时触发器 Timer triggers (UTC+8)</th><th>调用 Calls</th></tr></thead>
<tbody>${functions.map((name) => {
        const config = readConfig(cloud, name)
        const c = calls.get(name) ?? { total: 0, failed: 0 }
        const stats = html`<a href="${href('/console/functions', { fn: name })}">${c.total} 次</a>${c.failed ? html` · <span class="bad">${c.failed} 次失败</span>` : ''}`
        if (config instanceof Error) {
          return html`<tr data-function="${name}"><td><code>${name}</code></td><td colspan="3" class="bad">config.json 无法读取：${config.message}</td><td>${stats}</td></tr>`
        }
        const timers = (config.triggers ?? []).filter((t) => t.type === 'timer')
        const openapi = config.permissions?.openapi ?? []
        return html`<tr data-function="${name}"><td><code>${name}</code></td><td>${config.timeout ?? 3} s${config.timeout === undefined ? html` <span class="muted">(默认 default)</span>` : ''}</td><td>${openapi.length ? openapi.map((a, i) => html`${i ? ', ' : ''}<code>${a}</code>`) : html`<span class="muted">无 none</span>`}</td><td>${timers.length ? timers.map((t, i) => html`${i ? html`<br>` : ''}<code>${t.name}</code>: <code>${t.config}</code>`) : html`<span class="muted">无 none</span>`}</td><td>${stats}</td></tr>`
      })}</tbody>
</table>`
}
${MASK_NOTE}`
  return { status: 200, title: '概览', section: 'overview', body }
}

/* ---------------- a collection ---------------- */

function fieldNames(docs: Record<string, unknown>[]): string[] {
  const names = new Set<string>()
  for (const d of docs.slice(0, 500)) for (const k of Object.keys(d)) names.add(k)
  return [...names].sort((a, b) => (a === '_id' ? -1 : b === '_id' ? 1 : a.localeCompare(b)))
}

export function collectionPage(cloud: CloudServices, name: string, params: URLSearchParams): Page {
  if (!cloud.store.hasCollection(name)) throw new ConsoleError(404, `没有名为“${name}”的集合`)
  const spec = cloud.collections.find((c) => c.name === name)
  const all = cloud.store.docs(name)
  const fields = fieldNames(all)
  const filterText = params.get('filter') ?? ''
  const sortText = params.get('sort') ?? ''
  const orderText = params.get('order') ?? 'asc'

  let status = 200
  let results: Html
  let size = 20
  try {
    const paging = parsePaging(params)
    size = paging.size
    const sort = parseSort(sortText, orderText)
    const matched = selectDocs(all, parseFilter(filterText), sort)
    const page = pageOf(matched, paging)
    const link = (p: number): string =>
      collectionHref(name, {
        filter: filterText,
        sort: sortText,
        order: sortText ? orderText : undefined,
        size: paging.size,
        page: p
      })
    results = html`<p data-testid="result-count">匹配 <strong>${page.total}</strong> 条，集合共 ${all.length} 条 · ${page.total} of ${all.length} documents match</p>
${
  page.total === 0
    ? html`<p class="empty" data-testid="no-docs">${all.length === 0 ? '这个集合还没有文档。' : '没有符合筛选条件的文档。No document matches the filter.'}</p>`
    : html`${pager(page, link)}
${page.items.map((doc) => {
  const masked = maskDocument(doc, name) as Record<string, unknown>
  return html`<article data-testid="doc"><div class="doc-id"><code>${String(masked._id)}</code></div><pre class="doc">${JSON.stringify(masked, null, 2)}</pre></article>`
})}
${page.pages > 1 ? pager(page, link) : ''}`
}`
  } catch (err) {
    if (!(err instanceof ConsoleError)) throw err
    status = err.status
    results = html`<div class="error" role="alert" data-testid="error"><strong>无法查询 Bad request：</strong>${err.message}</div>`
  }

  const indexes = cloud.store.indexesOf(name)
  const body = html`<h1>集合 Collection <code>${name}</code></h1>
<dl class="kv" data-testid="collection-info">
  <dt>说明 Description</dt><dd>${spec?.description ?? html`<span class="muted">未声明 (not declared)</span>`}</dd>
  ${
    spec?.fields
      ? html`<dt>字段说明 Fields</dt><dd><table data-testid="field-docs"><thead><tr><th>字段 Field</th><th>含义 Meaning</th></tr></thead><tbody>
    ${Object.entries(spec.fields).map(([field, meaning]) => html`<tr><td><code>${field}</code></td><td>${meaning}</td></tr>`)}
  </tbody></table></dd>`
      : ''
  }
  <dt>安全规则 Security rule</dt><dd>${spec?.rule ? html`<code data-testid="rule">${JSON.stringify(spec.rule)}</code>${!spec.rule.read && !spec.rule.write ? html` <span class="muted">客户端不可直接读写，只经由云函数 (functions only)</span>` : ''}` : '—'}</dd>
  <dt>索引 Indexes</dt><dd><table data-testid="indexes"><thead><tr><th>名称 Name</th><th>字段 Keys</th><th>唯一 Unique</th></tr></thead><tbody>
    <tr><td><code>_id_</code></td><td><code>{"_id":1}</code></td><td>是 yes</td></tr>
    ${indexes.map((i) => html`<tr><td><code>${i.name}</code></td><td><code>${JSON.stringify(i.keys)}</code></td><td>${i.unique ? '是 yes' : '否 no'}</td></tr>`)}
  </tbody></table></dd>
</dl>

<form class="bar" method="get" action="${collectionHref(name)}" data-testid="filter-form">
  <label>筛选 Filter（JSON 查询或 field=value）
    <textarea name="filter" rows="2" placeholder='{"status":"booked"} 或 status=booked'>${filterText}</textarea></label>
  <label>排序字段 Sort by<input name="sort" value="${sortText}" list="fields" placeholder="_id"></label>
  <label>顺序 Order<select name="order"><option value="asc"${orderText !== 'desc' ? html` selected` : ''}>升序 asc</option><option value="desc"${orderText === 'desc' ? html` selected` : ''}>降序 desc</option></select></label>
  ${sizeSelect(size)}
  <button type="submit">查询 Query</button>
  <a href="${collectionHref(name)}">清除 Reset</a>
  <datalist id="fields">${fields.map((f) => html`<option value="${f}">`)}</datalist>
</form>

<form class="bar" method="get" action="${collectionHref(name)}/export" data-testid="export-form">
  <input type="hidden" name="filter" value="${filterText}">
  <input type="hidden" name="sort" value="${sortText}">
  <input type="hidden" name="order" value="${orderText}">
  <label>导出 Export（按当前筛选 with the current filter）<select name="format"><option value="jsonl">JSON Lines (.json)</option><option value="csv">CSV</option></select></label>
  <label>CSV 字段 fields（CSV 必填，逗号分隔）<input name="fields" size="40" placeholder="${fields.slice(0, 4).join(',')}"></label>
  <button type="submit">导出 Export</button>
  <span class="muted">字段 Fields: ${fields.join(', ') || '—'}</span>
</form>

${results}
${MASK_NOTE}`
  return { status, title: `集合 ${name}`, section: 'collections', body }
}

/* ---------------- subscription messages ---------------- */

const MESSAGE_ERRORS: Record<number, string> = {
  43101: '用户拒绝接收或一次性授权已用完 (user refused / quota spent)',
  47003: '模板参数不准确 (bad template data)',
  40003: 'openid 无效 (invalid openid)',
  40037: '模板 id 无效 (invalid template id)',
  41030: 'page 路径不正确 (page not published)'
}

/** The message center keeps its own history; the console reads the most recent this many. */
export const MESSAGE_LIMIT = 10_000

export function messagesPage(cloud: CloudServices, params: URLSearchParams): Page {
  const status = params.get('status') ?? ''
  if (status !== '' && status !== 'delivered' && status !== 'refused')
    throw new ConsoleError(400, '状态只能是 delivered（已送达）或 refused（被拒绝）')
  const paging = parsePaging(params)
  const all = cloud.messages.list({ limit: MESSAGE_LIMIT })
  const shown = all.filter(
    (m) => status === '' || (status === 'delivered' ? m.errCode === 0 : m.errCode !== 0)
  )
  const page = pageOf(shown, paging)
  const delivered = all.filter((m) => m.errCode === 0).length
  const link = (p: number): string => href('/console/messages', { status, size: paging.size, page: p })

  const row = (m: SentMessage): Html => {
    const data = maskMessageData(m.data)
    return html`<tr data-testid="message" class="${m.errCode === 0 ? 'delivered' : 'refused'}">
  <td>${shanghaiTime(m.at)}</td>
  <td><code>${m.fn ?? '—'}</code></td>
  <td><code>${maskId(m.touser)}</code></td>
  <td>${m.templateTitle ? html`${maskText(m.templateTitle)}<br>` : ''}<code class="muted">${m.templateId}</code></td>
  <td>${m.page ? html`<code>${maskText(m.page)}</code>` : '—'}</td>
  <td>${Object.entries(data).map(([k, v]) => html`<div><code>${k}</code>: ${v}</div>`)}</td>
  <td>${
    m.errCode === 0
      ? html`<span class="ok">已送达 delivered</span>`
      : html`<span class="bad">被拒绝 refused ${m.errCode}</span>${MESSAGE_ERRORS[m.errCode] ? html`<br>${MESSAGE_ERRORS[m.errCode]}` : ''}<br><code class="muted">${maskText(m.errMsg)}</code>`
  }</td>
</tr>`
  }

  const body = html`<h1>订阅消息 Subscription messages</h1>
<p>已送达 delivered <strong>${delivered}</strong> · 被拒绝 refused <strong>${all.length - delivered}</strong></p>
<form class="bar" method="get" action="/console/messages">
  <label>状态 Status<select name="status">
    <option value=""${status === '' ? html` selected` : ''}>全部 all</option>
    <option value="delivered"${status === 'delivered' ? html` selected` : ''}>已送达 delivered</option>
    <option value="refused"${status === 'refused' ? html` selected` : ''}>被拒绝 refused</option>
  </select></label>
  ${sizeSelect(paging.size)}
  <button type="submit">筛选 Filter</button>
</form>
${
  page.total === 0
    ? html`<p class="empty" data-testid="no-messages">${all.length === 0 ? '还没有发送过订阅消息。No subscription message has been sent yet.' : '没有符合条件的消息。'}</p>`
    : html`${pager(page, link)}<table data-testid="messages">
<thead><tr><th>时间 Time (UTC+8)</th><th>函数 Function</th><th>接收人 Recipient</th><th>模板 Template</th><th>页面 Page</th><th>内容 Data</th><th>结果 Result</th></tr></thead>
<tbody>${page.items.map(row)}</tbody></table>`
}
${MASK_NOTE}`
  return { status: 200, title: '订阅消息', section: 'messages', body }
}

/* ---------------- function log ---------------- */

const INVOKE_ERRORS: Record<number, string> = {
  [-504002]: '执行失败 execution failed',
  [-504003]: '超时 timed out'
}

export function functionLogPage(cloud: CloudServices, params: URLSearchParams): Page {
  const fn = params.get('fn') ?? ''
  const failedOnly = params.get('failed') === '1'
  const paging = parsePaging(params, 50)
  const newestFirst = [...cloud.invocations].reverse()
  const shown = newestFirst.filter((e) => (fn === '' || e.fn === fn) && (!failedOnly || !e.ok))
  const page = pageOf(shown, paging)
  const names = [...new Set([...cloud.pool.functionNames(), ...cloud.invocations.map((e) => e.fn)])].sort()
  const link = (p: number): string =>
    href('/console/functions', { fn, failed: failedOnly ? 1 : undefined, size: paging.size, page: p })

  const row = (
    e: InvocationLog
  ): Html => html`<tr data-testid="invocation" class="${e.ok ? 'ok-row' : 'failed-row'}">
  <td>${shanghaiTime(e.at)}</td>
  <td><code>${e.fn}</code></td>
  <td>${e.action !== undefined ? html`<code>${maskText(e.action)}</code>` : '—'}</td>
  <td><code>${e.requestId}</code></td>
  <td><code>${maskText(e.caller)}</code></td>
  <td>${e.source}</td>
  <td>${e.ok ? html`<span class="ok">成功 ok</span>` : html`<span class="bad">失败 ${e.errCode ?? ''}</span>${e.errCode !== undefined && INVOKE_ERRORS[e.errCode] ? html`<br><span class="muted">${INVOKE_ERRORS[e.errCode]}</span>` : ''}`}</td>
  <td>${e.durationMs} ms</td>
  <td>${e.coldStart ? '是 yes' : '否 no'}</td>
</tr>`

  const body = html`<h1>函数日志 Function log</h1>
<p class="muted">最近 ${cloud.invocations.length} 次调用，最新在前。The most recent invocations, newest first. “结果”是平台层面的结果：函数返回 {ok:false} 仍算调用成功。</p>
<form class="bar" method="get" action="/console/functions" data-testid="log-filter">
  <label>函数 Function<select name="fn"><option value="">全部 all</option>${names.map((n) => html`<option value="${n}"${n === fn ? html` selected` : ''}>${n}</option>`)}</select></label>
  <label><span><input type="checkbox" name="failed" value="1"${failedOnly ? html` checked` : ''}> 只看失败 failures only</span></label>
  ${sizeSelect(paging.size)}
  <button type="submit">筛选 Filter</button>
</form>
${
  page.total === 0
    ? html`<p class="empty" data-testid="no-invocations">${cloud.invocations.length === 0 ? '还没有函数调用。No invocation yet.' : '没有符合条件的调用。No invocation matches.'}</p>`
    : html`${pager(page, link)}<table data-testid="invocations">
<thead><tr><th>时间 Time (UTC+8)</th><th>函数 Function</th><th>action</th><th>请求 Request id</th><th>调用者 Caller</th><th>来源 Source</th><th>结果 Result</th><th>耗时 Duration</th><th>冷启动 Cold start</th></tr></thead>
<tbody>${page.items.map(row)}</tbody></table>`
}
${MASK_NOTE}`
  return { status: 200, title: '函数日志', section: 'functions', body }
}

/* ---------------- errors ---------------- */

export function errorPage(
  status: number,
  message: string,
  section: Section = 'overview',
  back?: { href: string; label: string }
): Page {
  const heading =
    status === 404
      ? '找不到 Not found'
      : status === 405
        ? '只读控制台 Read-only'
        : status >= 500
          ? '出错了 Error'
          : '请求有误 Bad request'
  return {
    status,
    title: heading,
    section,
    body: html`<h1>${heading}</h1><div class="error" role="alert" data-testid="error">${message}</div><p>${back ? html`<a href="${back.href}">${back.label}</a> · ` : ''}<a href="/console">返回概览 Back to the overview</a></p>`
  }
}
