/**
 * The local cloud's text messages and URL Links, through the real wx-server-sdk: validated as the
 * platform validates them (numbers +86…, at most 1,000, the text's length limits, a known
 * template, a link this cloud made and not expired), each text recorded, delivered or not, and
 * listed newest first at GET /api/local/sms and on /inbox.
 */
import { smsTemplateId } from '../../types/sms'
import { callFunction, freshCloud } from '../helpers/cloud'
import { FIXTURE_FUNCTIONS_BUILD } from '../helpers/paths'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const ENV = 'local'
const LINK = { path: 'officer/requests/index', query: 'id=rq-1', expireType: 1, expireInterval: 1 }
const SMS = {
  templateId: smsTemplateId('staffAlert', ENV),
  templateParamList: ['绿色通道：死亡登记（火化需要）'],
  phoneNumberList: ['+8613800000001']
}

interface Answer {
  link?: { ok: boolean; errCode?: number; errMsg?: string; urlLink?: string }
  sms?: {
    ok: boolean
    errCode?: number
    errMsg?: string
    sendStatusList?: { phoneNumber: string; code: string }[]
  }
}

async function send(event: Record<string, unknown>, fn = 'sms-fixture'): Promise<Answer> {
  const res = await callFunction<Answer>(cloud, fn, event, 'caller-1')
  expect(res.status).toBe(200)
  return res.body
}

async function texts(): Promise<{ numbers: string[]; text: string; errCode: number; linkPage?: string }[]> {
  return (
    (await (await fetch(`${cloud.url}/api/local/sms`)).json()) as {
      sms: { numbers: string[]; text: string; errCode: number; linkPage?: string }[]
    }
  ).sms
}

beforeAll(async () => {
  cloud = await freshCloud({ functionsDir: FIXTURE_FUNCTIONS_BUILD, envId: ENV, seed: false, timers: false })
})

afterAll(async () => {
  await cloud.close()
})

test('a text with a fresh link is delivered, recorded with its words and the page its link opens', async () => {
  const answer = await send({ link: LINK, sms: SMS })
  expect(answer.link).toMatchObject({ ok: true, errCode: 0 })
  expect(answer.link?.urlLink).toMatch(/^https:\/\/wxaurl\.cn\/\w+$/)
  expect(answer.sms).toMatchObject({ ok: true, errCode: 0 })
  expect(answer.sms?.sendStatusList).toEqual([
    expect.objectContaining({ phoneNumber: '+8613800000001', code: 'Ok' })
  ])
  const [latest] = await texts()
  expect(latest).toMatchObject({
    numbers: ['+8613800000001'],
    errCode: 0,
    linkPage: 'officer/requests/index?id=rq-1'
  })
  expect(latest?.text).toBe('【户政便民】绿色通道：死亡登记（火化需要），请尽快打开小程序处理')
})

test.each([
  ['a number without +86', { phoneNumberList: ['13800000001'] }],
  ['no number at all', { phoneNumberList: [] }],
  [
    'more than 1,000 numbers',
    { phoneNumberList: Array.from({ length: 1001 }, (_, i) => `+86138${String(i).padStart(8, '0')}`) }
  ],
  ['a custom part over 30 characters', { templateParamList: ['绿'.repeat(31)] }],
  ['a missing parameter', { templateParamList: [] }],
  ['an unknown template', { templateId: 'no-such-template' }],
  ['another environment', { env: 'someone-else' }]
])('%s is refused with 47003 and recorded as not sent', async (_name, change) => {
  const before = (await texts()).length
  const answer = await send({ link: LINK, sms: { ...SMS, ...change } })
  expect(answer.sms?.errCode).toBe(47003)
  const list = await texts()
  expect(list).toHaveLength(before + 1)
  expect(list[0]?.errCode).toBe(47003)
})

test('a link that this cloud never made, or one that has expired, cannot be sent', async () => {
  expect((await send({ sms: { ...SMS, urlLink: 'https://wxaurl.cn/forged' } })).sms?.errCode).toBe(47003)
  const made = await send({ link: LINK })
  const start = cloud.clock.now()
  try {
    cloud.clock.set(start + 2 * 86_400_000) // the link lived one day
    const late = await send({ sms: { ...SMS, urlLink: made.link?.urlLink } })
    expect(late.sms).toMatchObject({ errCode: 47003 })
    expect(late.sms?.errMsg).toMatch(/expired/)
  } finally {
    cloud.clock.set(start)
  }
})

test('URL Links: a page of the mini-program, a query of at most 1,024 characters, at most 30 days', async () => {
  expect((await send({ link: { ...LINK, path: 'officer/nowhere/index' } })).link?.errCode).toBe(40165)
  expect((await send({ link: { ...LINK, path: 'officer/requests/index?id=1' } })).link?.errCode).toBe(40165)
  expect((await send({ link: { ...LINK, query: 'x'.repeat(1025) } })).link?.errCode).toBe(40212)
  expect((await send({ link: { ...LINK, expireInterval: 31 } })).link?.errCode).toBe(85401)
  expect(
    (
      await send({
        link: { ...LINK, expireType: 0, expireTime: Math.floor(cloud.clock.now() / 1000) + 31 * 86_400 }
      })
    ).link?.errCode
  ).toBe(85401)
  expect(
    (
      await send({
        link: { ...LINK, expireType: 0, expireTime: Math.floor(cloud.clock.now() / 1000) + 3600 }
      })
    ).link?.errCode
  ).toBe(0)
})

test('a function without the permission in config.json is refused by the cloud (-604101)', async () => {
  const answer = await send({ link: LINK, sms: SMS }, 'sms-fixture-noperm')
  // It lists only subscribeMessage.send: the cloud refuses before WeChat sees the call.
  expect(answer.link).toMatchObject({ ok: false })
  expect(answer.link?.errMsg).toMatch(/-604101/)
  expect(answer.sms).toMatchObject({ ok: false })
  expect(answer.sms?.errMsg).toMatch(/-604101/)
})

test('/inbox lists the texts, newest first, with numbers masked', async () => {
  await send({ link: LINK, sms: { ...SMS, templateParamList: ['最新的一条'] } })
  const html = await (await fetch(`${cloud.url}/inbox`)).text()
  const first = html.indexOf('最新的一条')
  expect(first).toBeGreaterThan(-1)
  expect(first).toBeLessThan(html.indexOf('绿色通道：死亡登记'))
  expect(html).toContain('138****0001')
  expect(html).not.toContain('13800000001')
})
