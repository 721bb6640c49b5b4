/**
 * Pure parts of subscription messages outside the registry: the H5 sheet's decisions and tap
 * rule, and the local cloud's wire format (checked against protobufjs and form-data, the
 * libraries wx-server-sdk itself encodes with), app pages and inbox rendering.
 */
import FormData from 'form-data'
import fs from 'node:fs'
import path from 'node:path'
import * as protobuf from 'protobufjs/minimal'
import { AppPages, pagesOfConfig } from '../../local-cloud/messages/app-pages'
import {
  appLink,
  escapeHtml,
  phoneTime,
  refusalHint,
  renderUserInbox
} from '../../local-cloud/messages/inbox'
import {
  decodeCommApiData,
  decodeOpenApiCall,
  encodeCommOpenApiResp,
  parseMultipart
} from '../../local-cloud/messages/wire'
import {
  isTapGesture,
  sheetAnswer,
  sheetText,
  type SheetItem
} from '../../src/components/consent-sheet/logic'
import { TEST_DATA } from '../helpers/paths'

describe('the H5 sheet', () => {
  const items: SheetItem[] = [
    { id: 'a', title: '预约成功通知', kind: 'one-time' },
    { id: 'b', title: '预约提醒', kind: 'one-time' }
  ]

  test('允许 accepts the switched-on templates and refuses the others', () => {
    expect(sheetAnswer(items, new Set(['a', 'b']), 'allow', false)).toEqual({
      answers: { a: 'accept', b: 'accept' },
      keep: false
    })
    expect(sheetAnswer(items, new Set(['b']), 'allow', true)).toEqual({
      answers: { a: 'reject', b: 'accept' },
      keep: true
    })
  })

  test('取消 refuses them all, whatever is switched on; "always keep" is kept with it', () => {
    expect(sheetAnswer(items, new Set(['a', 'b']), 'cancel', true)).toEqual({
      answers: { a: 'reject', b: 'reject' },
      keep: true
    })
  })

  test('plain words: one message per consent for one-time templates, until turned off for long-term ones', () => {
    const t = sheetText('户政便民', items)
    expect(t.heading).toBe('“户政便民”想给您发送以下通知')
    expect(t.note).toContain('一条')
    expect(t.keep).toBe('总是保持以上选择，不再询问')
    expect(sheetText('户政便民', [{ id: 'c', title: '新的服务申请提醒', kind: 'long-term' }]).note).toContain(
      '关闭'
    )
  })

  test('only a trusted tap being handled opens the sheet, as on WeChat', () => {
    expect(isTapGesture({ type: 'click', isTrusted: true })).toBe(true)
    expect(isTapGesture({ type: 'touchend', isTrusted: true })).toBe(true)
    expect(isTapGesture({ type: 'click', isTrusted: false })).toBe(false) // element.click() from code
    expect(isTapGesture({ type: 'load', isTrusted: true })).toBe(false)
    expect(isTapGesture(null, true)).toBe(false) // after an await: no event any more
    expect(isTapGesture(undefined, true)).toBe(true) // no window.event: the browser's activation flag decides
    expect(isTapGesture(undefined, false)).toBe(false)
  })
})

describe('the open-API wire format', () => {
  test('decodes CommApiData as the SDK encodes it (protobufjs)', () => {
    const pair = (key: string, value: unknown) => {
      const w = protobuf.Writer.create()
      w.uint32(10).string(key)
      w.uint32(18).bytes(Buffer.from(JSON.stringify(value)))
      return w.finish()
    }
    const data = protobuf.Writer.create()
    for (const p of [pair('touser', 'o-1'), pair('data', { thing1: { value: '你好' } })])
      data.uint32(10).bytes(p)
    const msg = protobuf.Writer.create()
    msg.uint32(8).int32(1)
    msg.uint32(18).bytes(data.finish())
    msg.uint32(50).string('wx-app')
    const decoded = decodeCommApiData(Buffer.from(msg.finish()))
    expect(decoded.apiType).toBe(1)
    expect(decoded.appid).toBe('wx-app')
    expect(decoded.pairs.map((p) => [p.key, JSON.parse(p.value.toString('utf8')) as unknown])).toEqual([
      ['touser', 'o-1'],
      ['data', { thing1: { value: '你好' } }]
    ])
  })

  test('encodes CommOpenApiResp so protobufjs reads it back, negative error codes included', () => {
    const buf = encodeCommOpenApiResp({
      respData: Buffer.from('{"errcode":0}'),
      contentType: 'application/json',
      errorCode: -604101,
      httpCode: 200
    })
    const r = protobuf.Reader.create(buf)
    const seen: Record<number, unknown> = {}
    while (r.pos < r.len) {
      const tag = r.uint32()
      const field = tag >>> 3
      if (field === 1) seen[1] = Buffer.from(r.bytes()).toString('utf8')
      else if (field === 2) seen[2] = r.string()
      else if (field === 3) seen[3] = r.int32()
      else if (field === 4) seen[4] = r.uint32()
      else r.skipType(tag & 7)
    }
    expect(seen).toEqual({ 1: '{"errcode":0}', 2: 'application/json', 3: -604101, 4: 200 })
  })

  test('reads the multipart body form-data produces (what the SDK posts)', () => {
    const form = new FormData()
    form.append('action', 'wx.openApi')
    form.append('apiName', 'subscribeMessage.send')
    const pair = protobuf.Writer.create()
    pair.uint32(10).string('template_id')
    pair.uint32(18).bytes(Buffer.from('"t-1"'))
    const data = protobuf.Writer.create()
    data.uint32(10).bytes(pair.finish())
    const msg = protobuf.Writer.create()
    msg.uint32(18).bytes(data.finish())
    form.append('requestData', Buffer.from(msg.finish()))
    form.append('envName', '')
    const body = form.getBuffer()
    const type = `multipart/form-data; boundary=${form.getBoundary()}`
    expect(parseMultipart(type, body).map((f) => f.name)).toEqual([
      'action',
      'apiName',
      'requestData',
      'envName'
    ])
    expect(decodeOpenApiCall(type, body)).toEqual({
      action: 'wx.openApi',
      apiName: 'subscribeMessage.send',
      params: { template_id: 't-1' }
    })
    expect(() => parseMultipart('multipart/form-data', body)).toThrow('boundary')
  })
})

describe('app pages, as subscribeMessage.send checks `page`', () => {
  test('main package and subpackages', () => {
    expect(
      pagesOfConfig({
        pages: ['pages/index/index'],
        subPackages: [{ root: 'officer/', pages: ['requests/index'] }],
        subpackages: [{ root: 'supervisor', pages: ['/ratings/index'] }]
      })
    ).toEqual(['pages/index/index', 'officer/requests/index', 'supervisor/ratings/index'])
  })

  test('evaluates an app.config.ts with defineAppConfig, re-reading it when it changes', () => {
    const dir = path.join(TEST_DATA, `app-pages-${process.pid}`)
    fs.mkdirSync(dir, { recursive: true })
    const file = path.join(dir, 'app.config.ts')
    fs.writeFileSync(
      file,
      "const extra: string[] = ['pages/b/index']\nexport default defineAppConfig({ pages: ['pages/a/index', ...extra] })\n"
    )
    const pages = new AppPages(file, path.join(dir, 'missing.json'))
    expect(pages.has('pages/a/index')).toBe(true)
    expect(pages.has('pages/b/index?id=1&x=2')).toBe(true)
    expect(pages.has('/pages/a/index')).toBe(false)
    expect(pages.has('pages/c/index')).toBe(false)
    expect(pages.has('pages/c/../a/index')).toBe(false)
    fs.writeFileSync(
      file,
      "export default defineAppConfig({ pages: ['pages/c/index'], subPackages: [{ root: 'officer', pages: ['requests/index'] }] })\n"
    )
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000))
    expect(pages.has('pages/c/index')).toBe(true)
    expect(pages.has('officer/requests/index')).toBe(true)
    fs.rmSync(dir, { recursive: true, force: true })
  })

  test("this app's own config lists the home page", () => {
    expect(new AppPages(path.join(__dirname, '../../src/app.config.ts'), '').has('pages/index/index')).toBe(
      true
    )
  })
})

describe('the inbox', () => {
  test('escapes, formats time in Shanghai and links pages into the H5 app', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
    expect(phoneTime(new Date(Date.UTC(2026, 10, 26, 16, 5)))).toBe('11月27日 00:05')
    expect(appLink('pages/service/index?id=1')).toBe('/#/pages/service/index?id=1')
  })

  test('a refused send is explained in plain words; a delivered one shows the template’s labels', () => {
    const base = {
      id: 'm',
      at: new Date(0),
      fn: 'f',
      touser: 'u',
      templateId: 'local-tmpl-rating-invite',
      templateTitle: '服务评价邀请',
      page: 'pages/index/index'
    }
    const data = {
      thing1: { value: '补领居民身份证' },
      time2: { value: '10:05' },
      thing3: { value: '一'.repeat(21) }
    }
    expect(refusalHint({ ...base, data, errCode: 47003, errMsg: 'x' }, 'local')).toContain('邀请说明')
    expect(refusalHint({ ...base, data, errCode: 43101, errMsg: 'x' }, 'local')).toContain('一次性订阅')
    const html = renderUserInbox(
      'u',
      [{ ...base, data: { ...data, thing3: { value: '请评价' } }, errCode: 0, errMsg: 'ok' }],
      [],
      'local'
    )
    expect(html).toContain('<dt>办理事项</dt><dd>补领居民身份证</dd>')
    expect(html).toContain('<dt>邀请说明</dt><dd>请评价</dd>')
  })
})
