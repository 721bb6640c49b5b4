/**
 * Subscription messages through the real wx-server-sdk, from test-only functions, as on WeChat:
 * consent grants (one-time: one send per accept; long-term: many), the checks of
 * subscribeMessage.send with WeChat's codes and messages, the function's permissions, the
 * inbox, and every refused send recorded with its code.
 */
import path from 'node:path'
import { resolveTemplate, templateIdOf, type SubscribeResult, type TemplateKey } from '../../types/templates'
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

jest.setTimeout(30_000)

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud
const ENV = 'test-env'

interface Answer {
  ok: boolean
  errCode: number
  errMsg: string
  isError?: boolean
  keys?: string[]
}

interface FixtureReply {
  env: string
  answers: Answer[]
}

const id = (key: TemplateKey): string => templateIdOf(key, ENV)

const BOOKING_VALUES = {
  service: '补领居民身份证',
  time: '2026年12月1日 09:30',
  place: '城关派出所户政窗口',
  code: 'A1234',
  tip: '请带好户口簿，提前10分钟到'
}

const ALERT_VALUES = {
  kind: '紧急求助',
  service: '临时身份证明',
  time: '2026年12月1日 21:05',
  note: '请尽快在小程序内受理'
}

beforeAll(async () => {
  cloud = await freshCloud({
    functionsDir: FIXTURE_FUNCTIONS_BUILD,
    envId: ENV,
    appId: 'wx-test-app',
    seed: false
  })
})

afterAll(async () => {
  await cloud?.close()
})

async function consent(
  openid: string,
  tmplIds: unknown,
  answers: Record<string, string> = {},
  keep = false
): Promise<{ status: number; body: SubscribeResult & { errCode?: number } }> {
  const res = await fetch(`${cloud.url}/api/local/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': openid },
    body: JSON.stringify({ tmplIds, answers, keep })
  })
  return { status: res.status, body: (await res.json()) as SubscribeResult & { errCode?: number } }
}

async function send(
  openid: string,
  event: Record<string, unknown>,
  fn = 'notify-fixture'
): Promise<Answer[]> {
  const res = await callFunction<FixtureReply>(cloud, fn, event, openid)
  expect(res.status).toBe(200)
  return res.body.answers
}

const booking = (extra: Record<string, unknown> = {}) => ({
  key: 'bookingConfirmed',
  values: BOOKING_VALUES,
  message: { page: 'pages/service/index?id=svc-idcard-replace', ...extra }
})

test('a one-time accept allows exactly one send; the next is refused with 43101', async () => {
  const user = 'resident-one-time'
  const granted = await consent(user, [id('bookingConfirmed')], { [id('bookingConfirmed')]: 'accept' })
  expect(granted.status).toBe(200)
  expect(granted.body).toEqual({ errMsg: 'requestSubscribeMessage:ok', [id('bookingConfirmed')]: 'accept' })

  const [first] = await send(user, booking())
  // What WeChat's SDK resolves for a delivered message: nothing but errCode and errMsg.
  expect(first).toEqual({
    ok: true,
    errCode: 0,
    errMsg: 'openapi.subscribeMessage.send:ok',
    keys: ['errCode', 'errMsg']
  })

  const [second] = await send(user, booking())
  expect(second).toMatchObject({ ok: false, errCode: 43101, isError: true })
  expect(second?.errMsg).toMatch(
    /^openapi\.subscribeMessage\.send:fail user refuse to accept the msg rid: [0-9a-f-]+$/
  )
})

test('grants add up: two accepts allow two sends; a reject allows none', async () => {
  const user = 'resident-two-accepts'
  const tid = id('bookingReminder')
  await consent(user, [tid], { [tid]: 'accept' })
  await consent(user, [tid], { [tid]: 'accept' })
  await consent(user, [tid], { [tid]: 'reject' })
  const values = { service: '户口迁入', time: '09:30~10:00', place: '城关派出所', tip: '明天上午办理' }
  const answers = await send(user, { key: 'bookingReminder', values, times: 3 })
  expect(answers.map((a) => a.errCode)).toEqual([0, 0, 43101])

  const never = 'resident-never-asked'
  const [refused] = await send(never, { key: 'bookingReminder', values })
  expect(refused?.errCode).toBe(43101)
})

test('concurrent sends never use more grants than were given', async () => {
  const user = 'resident-concurrent'
  const tid = id('requestProgress')
  for (let i = 0; i < 3; i++) await consent(user, [tid], { [tid]: 'accept' })
  const values = {
    service: '开具户籍证明',
    status: '已受理',
    time: '2026-12-01 10:00',
    note: '请留意后续通知'
  }
  const results = await Promise.all(
    Array.from({ length: 10 }, () => send(user, { key: 'requestProgress', values }))
  )
  const codes = results.flat().map((a) => a.errCode)
  expect(codes.filter((c) => c === 0)).toHaveLength(3)
  expect(codes.filter((c) => c === 43101)).toHaveLength(7)
})

test('a long-term accept allows many sends, until the user turns it off', async () => {
  const officer = 'officer-long-term'
  const tid = id('officerAlert')
  expect(resolveTemplate('officerAlert', ENV).kind).toBe('long-term')
  await consent(officer, [tid], { [tid]: 'accept' })
  const answers = await send(officer, { key: 'officerAlert', values: ALERT_VALUES, times: 5 })
  expect(answers.map((a) => a.errCode)).toEqual([0, 0, 0, 0, 0])

  await consent(officer, [tid], { [tid]: 'reject' })
  const [after] = await send(officer, { key: 'officerAlert', values: ALERT_VALUES })
  expect(after?.errCode).toBe(43101)
})

describe('subscribeMessage.send checks as WeChat does', () => {
  const user = 'resident-checks'
  beforeAll(async () => {
    await consent(user, [id('bookingConfirmed')], { [id('bookingConfirmed')]: 'accept' })
  })

  test('47003 names the field whose value does not fit its keyword type', async () => {
    const tooLong = await send(
      user,
      booking({
        data: {
          ...dataOf('bookingConfirmed', {
            ...BOOKING_VALUES,
            service: '一二三四五六七八九十一二三四五六七八九十一'
          })
        }
      })
    )
    expect(tooLong[0]).toMatchObject({ ok: false, errCode: 47003 })
    expect(tooLong[0]?.errMsg).toMatch(
      /^openapi\.subscribeMessage\.send:fail argument invalid! data\.thing1\.value invalid rid: /
    )

    const badTime = await send(
      user,
      booking({ data: dataOf('bookingConfirmed', { ...BOOKING_VALUES, time: '明天上午' }) })
    )
    expect(badTime[0]?.errMsg).toContain('argument invalid! data.time2.value invalid')

    const chineseCode = await send(
      user,
      booking({ data: dataOf('bookingConfirmed', { ...BOOKING_VALUES, code: '预约A1' }) })
    )
    expect(chineseCode[0]?.errMsg).toContain('data.character_string4.value invalid')
  })

  test('an empty or missing value is 47003 "is empty" for that field', async () => {
    const empty = await send(
      user,
      booking({ data: dataOf('bookingConfirmed', { ...BOOKING_VALUES, place: '' }) })
    )
    expect(empty[0]).toMatchObject({ errCode: 47003 })
    expect(empty[0]?.errMsg).toContain('argument invalid! data.thing3.value is empty')

    const { thing5: _dropped, ...withoutTip } = dataOf('bookingConfirmed', BOOKING_VALUES)
    const missing = await send(user, booking({ data: withoutTip }))
    expect(missing[0]?.errMsg).toContain('argument invalid! data.thing5.value is empty')
  })

  test('40037 for a template id this environment does not have', async () => {
    const [res] = await send(user, booking({ templateId: 'not-a-template-of-ours' }))
    expect(res).toMatchObject({ ok: false, errCode: 40037 })
    expect(res?.errMsg).toMatch(/^openapi\.subscribeMessage\.send:fail invalid template_id rid: /)
  })

  test('41030 for a page that is not in the app (or written with a leading slash)', async () => {
    for (const page of ['pages/nowhere/index', '/pages/index/index', 'pages/index/../service/index']) {
      const [res] = await send(user, booking({ page }))
      expect(res).toMatchObject({ ok: false, errCode: 41030 })
      expect(res?.errMsg).toMatch(/^openapi\.subscribeMessage\.send:fail invalid page rid: /)
    }
  })

  test('40003 for a touser that is not an openid', async () => {
    for (const touser of ['not an openid!', '']) {
      const [res] = await send(user, booking({ touser }))
      expect(res).toMatchObject({ ok: false, errCode: 40003 })
      expect(res?.errMsg).toContain('invalid openid')
    }
  })

  test('47003 for a miniprogramState WeChat does not know', async () => {
    const [res] = await send(user, booking({ miniprogramState: 'production' }))
    expect(res).toMatchObject({ ok: false, errCode: 47003 })
  })

  test('refused sends used no grant: the good send after them is delivered', async () => {
    const answers = await send(user, booking())
    expect(answers[0]).toMatchObject({ ok: true, errCode: 0 })
  })
})

test('a function without permissions.openapi is refused by the cloud (-604101) and nothing is delivered', async () => {
  const user = 'resident-noperm'
  const tid = id('bookingConfirmed')
  await consent(user, [tid], { [tid]: 'accept' })
  const [res] = await send(user, booking(), 'notify-fixture-noperm')
  expect(res).toMatchObject({ ok: false, errCode: -604101, isError: true })
  expect(res?.errMsg).toContain('system error: error code: -604101')
  // The grant is still there for a function that may send.
  const [ok] = await send(user, booking())
  expect(ok?.errCode).toBe(0)
  const recorded = cloud.messages.list({ touser: user })
  expect(recorded.map((m) => [m.fn, m.errCode])).toEqual([
    ['notify-fixture', 0],
    ['notify-fixture-noperm', -604101]
  ])
})

test('every send is recorded, delivered or refused, with its code, newest first', async () => {
  const user = 'resident-recorded'
  const tid = id('ratingInvite')
  await consent(user, [tid], { [tid]: 'accept' })
  const values = { service: '补领居民身份证', time: '2026年12月1日 10:05', note: '请为本次服务打分' }
  await send(user, { key: 'ratingInvite', values, times: 2 })
  const list = cloud.messages.list({ touser: user })
  expect(list).toHaveLength(2)
  expect(list[0]).toMatchObject({
    fn: 'notify-fixture',
    touser: user,
    templateId: tid,
    templateTitle: '服务评价邀请',
    errCode: 43101
  })
  expect(list[0]?.errMsg).toMatch(/^user refuse to accept the msg rid: /)
  expect(list[1]).toMatchObject({ errCode: 0, errMsg: 'ok', data: { thing1: { value: '补领居民身份证' } } })
  expect(list[0]!.at.getTime()).toBeGreaterThanOrEqual(list[1]!.at.getTime())

  const viaHttp = (await (await fetch(`${cloud.url}/api/local/messages?touser=${user}`)).json()) as {
    messages: { errCode: number }[]
  }
  expect(viaHttp.messages.map((m) => m.errCode)).toEqual([43101, 0])
})

test('the inbox shows the delivered message as a phone does, escaped, opening the app at its page', async () => {
  const user = 'resident-inbox'
  const tid = id('bookingConfirmed')
  await consent(user, [tid], { [tid]: 'accept' })
  const values = { ...BOOKING_VALUES, tip: '<b>带好</b>户口簿 & "照片"' }
  const [res] = await send(user, {
    key: 'bookingConfirmed',
    values,
    message: { page: 'pages/service/index?id=svc-idcard-replace&from=msg' }
  })
  expect(res?.errCode).toBe(0)
  await send(user, { key: 'bookingConfirmed', values }) // refused: 43101

  const list = await (await fetch(`${cloud.url}/inbox`)).text()
  expect(list).toContain(`/inbox?openid=${user}`)

  const page = await fetch(`${cloud.url}/inbox?openid=${user}`)
  expect(page.headers.get('content-type')).toContain('text/html')
  const html = await page.text()
  expect(html).toContain('预约成功通知')
  for (const label of ['预约事项', '预约时间', '办理地点', '预约码', '温馨提示'])
    expect(html).toContain(label)
  expect(html).toContain('补领居民身份证')
  expect(html).toContain('&lt;b&gt;带好&lt;/b&gt;户口簿 &amp; &quot;照片&quot;')
  expect(html).not.toContain('<b>带好')
  expect(html).toContain('进入小程序查看')
  expect(html).toContain('href="/#/pages/service/index?id=svc-idcard-replace&amp;from=msg"')
  // Local only: the refused one, explained.
  expect(html).toContain('未送达')
  expect(html).toContain('一次性订阅已经用完')
})

describe('the consent request, as wx.requestSubscribeMessage checks it', () => {
  test('at most 3 ids, no mixing of one-time and long-term, known ids only, not empty', async () => {
    const user = 'resident-rules'
    const four = [
      id('bookingConfirmed'),
      id('bookingReminder'),
      id('bookingCancelled'),
      id('requestProgress')
    ]
    expect((await consent(user, four)).body).toMatchObject({
      errCode: 20003,
      errMsg: 'requestSubscribeMessage:fail Templates count out of max bounds'
    })
    expect((await consent(user, [id('bookingConfirmed'), id('officerAlert')])).body).toMatchObject({
      errCode: 20002
    })
    expect((await consent(user, ['nope'])).body).toMatchObject({ errCode: 20001 })
    expect((await consent(user, [])).body).toMatchObject({ errCode: 10001 })
    const checked = await fetch(
      `${cloud.url}/api/local/subscriptions?tmplIds=${four.slice(0, 3).join(',')}`,
      { headers: { 'x-local-openid': user } }
    )
    const body = (await checked.json()) as { items: { id: string; title: string; kind: string }[] }
    expect(body.items.map((i) => i.title)).toEqual(['预约成功通知', '预约提醒', '预约取消通知'])
    // A refused request granted nothing.
    expect(cloud.messages.list({ touser: user })).toEqual([])
  })

  test('"always keep this choice" answers later requests without asking; the settings reset it', async () => {
    const user = 'resident-keeps'
    const [a, b] = [id('bookingConfirmed'), id('bookingReminder')]
    const first = await consent(user, [a, b], { [a]: 'accept', [b]: 'reject' }, true)
    expect(first.body).toEqual({ errMsg: 'requestSubscribeMessage:ok', [a]: 'accept', [b]: 'reject' })

    const settings = await fetch(`${cloud.url}/api/local/subscriptions`, {
      headers: { 'x-local-openid': user }
    })
    expect(await settings.json()).toEqual({
      mainSwitch: true,
      itemSettings: { [a]: 'accept', [b]: 'reject' }
    })

    // No answers needed now; the kept choices win over anything sent.
    const again = await consent(user, [a, b], { [a]: 'reject', [b]: 'accept' })
    expect(again.body).toEqual({ errMsg: 'requestSubscribeMessage:ok', [a]: 'accept', [b]: 'reject' })
    // Two requests, two one-time grants (the second given silently).
    const answers = await send(user, { ...booking(), times: 3 })
    expect(answers.map((x) => x.errCode)).toEqual([0, 0, 43101])

    await fetch(`${cloud.url}/api/local/subscriptions`, {
      method: 'DELETE',
      headers: { 'x-local-openid': user }
    })
    const unanswered = await consent(user, [a])
    expect(unanswered.status).toBe(400)
  })

  test('the caller must be named', async () => {
    const res = await fetch(`${cloud.url}/api/local/subscriptions`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' }
    })
    expect(res.status).toBe(401)
  })
})

test('grants and messages survive a restart of the local cloud', async () => {
  const user = 'resident-restart'
  const tid = id('bookingCancelled')
  await consent(user, [tid], { [tid]: 'accept' })
  await consent(user, [tid], { [tid]: 'accept' })
  const values = {
    service: '补领居民身份证',
    time: '2026年12月1日 09:30',
    reason: '窗口临时停办',
    tip: '可重新预约其他时段'
  }
  expect((await send(user, { key: 'bookingCancelled', values }))[0]?.errCode).toBe(0)

  const dataDir = cloud.dataDir
  await cloud.close()
  cloud = await freshCloud({
    functionsDir: FIXTURE_FUNCTIONS_BUILD,
    envId: ENV,
    appId: 'wx-test-app',
    seed: false,
    dataDir
  })
  expect(path.basename(cloud.dataDir)).toBe(path.basename(dataDir))
  expect(cloud.messages.list({ touser: user }).map((m) => m.errCode)).toEqual([0])
  expect((await send(user, { key: 'bookingCancelled', values, times: 2 })).map((a) => a.errCode)).toEqual([
    0, 43101
  ])
})

function dataOf(key: TemplateKey, values: Record<string, string>): Record<string, { value: string }> {
  const template = resolveTemplate(key, ENV)
  return Object.fromEntries(template.keywords.map((k) => [k.key, { value: values[k.name] ?? '' }]))
}
