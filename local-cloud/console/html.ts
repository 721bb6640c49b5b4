/**
 * HTML for the console, escaped by construction: the `html` tag escapes every interpolated value
 * unless it is already `Html` (built by this tag). Nothing else writes markup, so a document, a
 * filter or an error message can never become live markup. The pages carry no script at all and
 * are served with a Content-Security-Policy that allows none.
 */

export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;'
}

/** The one escape: text and attribute values alike (attributes are always double-quoted). */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c)
}

export type Fragment = Html | string | number | boolean | null | undefined | readonly Fragment[]

function render(value: Fragment): string {
  if (value === null || value === undefined || value === false) return ''
  if (value instanceof Html) return value.value
  if (Array.isArray(value)) return value.map((v: Fragment) => render(v)).join('')
  return escapeHtml(value)
}

export function html(strings: TemplateStringsArray, ...values: Fragment[]): Html {
  let out = strings[0] ?? ''
  values.forEach((v, i) => {
    out += render(v) + (strings[i + 1] ?? '')
  })
  return new Html(out)
}

/** A console URL with query parameters (empty ones dropped); escaped when interpolated. */
export function href(path: string, params: Record<string, string | number | undefined> = {}): string {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v))
  const text = query.toString()
  return text ? `${path}?${text}` : path
}

export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"

const STYLE = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC","Microsoft YaHei",sans-serif;color:#1b1f24;background:#f5f6f8}
header{background:#12355b;color:#fff;padding:10px 20px;display:flex;flex-wrap:wrap;gap:6px 22px;align-items:baseline}
header .brand{font-weight:700;font-size:17px}
header a{color:#dbe8ff;text-decoration:none}
header a[aria-current=page]{color:#fff;border-bottom:2px solid #ffd54a}
main{padding:16px 20px;max-width:1200px}
h1{font-size:21px;margin:4px 0 12px}
h2{font-size:17px;margin:22px 0 8px}
table{border-collapse:collapse;background:#fff;width:100%;margin:6px 0}
th,td{border:1px solid #d9dde3;padding:5px 8px;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre.doc{background:#fff;border:1px solid #d9dde3;padding:8px 10px;margin:0 0 10px;overflow:auto;white-space:pre-wrap;word-break:break-all}
.doc-id{font-weight:600;margin-top:10px}
form.bar{display:flex;flex-wrap:wrap;gap:8px 14px;align-items:flex-end;background:#fff;border:1px solid #d9dde3;padding:10px;margin:8px 0}
form.bar label{display:flex;flex-direction:column;font-size:13px;color:#444}
textarea,input,select,button{font:inherit}
textarea{width:min(560px,90vw);font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
button{background:#12355b;color:#fff;border:0;padding:6px 14px;border-radius:4px;cursor:pointer}
.muted{color:#5f6b7a;font-size:13px}
.ok{color:#137333}.bad{color:#b3261e;font-weight:600}
.notice{background:#fff8e1;border:1px solid #f0d58a;padding:8px 12px;margin:8px 0}
.error{background:#fdecea;border:1px solid #f2b8b5;padding:12px 14px;margin:10px 0}
.empty{background:#fff;border:1px dashed #c4cad3;padding:18px;text-align:center;color:#5f6b7a}
nav.pager{display:flex;gap:16px;margin:10px 0}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px;background:#fff;border:1px solid #d9dde3;padding:10px 14px}
dl.kv dt{color:#5f6b7a}dl.kv dd{margin:0}
`

export type Section = 'overview' | 'collections' | 'messages' | 'functions'

export interface LayoutInput {
  title: string
  section: Section
  envId: string
  /** The product's name, atop every page. */
  appName: string
  collections: string[]
  body: Html
}

export function layout({ title, section, envId, appName, collections, body }: LayoutInput): string {
  const current = (s: Section): Html | undefined => (s === section ? html` aria-current="page"` : undefined)
  return (
    '<!doctype html>\n' +
    html`<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · ${appName}本地云控制台</title>
<style>${new Html(STYLE)}</style>
</head>
<body>
<header>
  <span class="brand">${appName} · 本地云控制台 <span class="muted" style="color:#b9c9e0">Local cloud console · ${envId}</span></span>
  <a href="/console"${current('overview')}>概览 Overview</a>
  <a href="/console/messages"${current('messages')}>订阅消息 Messages</a>
  <a href="/console/functions"${current('functions')}>函数日志 Function log</a>
  <span>数据库 Collections: ${collections.map((c, i) => html`${i > 0 ? ' · ' : ''}<a href="${href(`/console/collections/${encodeURIComponent(c)}`)}">${c}</a>`)}</span>
</header>
<main>
${body}
</main>
</body>
</html>
`.value
  )
}
