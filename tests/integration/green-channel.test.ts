/**
 * The green channel reaches a person at any hour and tells the truth: on a Sunday night an alert
 * WeChat cannot deliver goes to the officer's mobile as a text with a link to the request; the
 * resident's view says `reach` exactly as it is (trying / reached / unreached) with the duty phone;
 * escalation runs over both channels; one resident cannot flood the station (2 open, 5 a day),
 * however many submits arrive at once.
 */
import type { RequestsOutputs, RequestView } from '../../types/requests'
import type { Result } from '../../types/result'
import { ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const DUTY_PHONE = '0123-6613110'
const SUNDAY_NIGHT = Date.parse('2026-12-06T14:00:00Z') // Sunday 22:00 in Shanghai
const NIGHT_OFFICER = {
  _id: 'staff-gc-night',
  openid: 'gc-night',
  name: '夜班民警',
  role: 'officer',
  stationId: STATION,
  active: true,
  mobile: '13900009001'
}
const LEADER = 'demo-leader-zhou' // seeded with a mobile

let residentNo = 0
const newResident = () => `gc-resident-${++residentNo}`

function req<A extends keyof RequestsOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<RequestsOutputs[A]>>(cloud, 'requests', { action, payload }, openid).then(
    (r) => r.body
  )
}

const EMERGENCY = {
  kind: 'emergency',
  category: 'death_cremation',
  description: '父亲今晚去世，明早火化需要死亡证明',
  contactName: '王芳',
  mobile: '13812345678',
  stationId: STATION
}

async function submit(openid: string): Promise<RequestView> {
  return ok(await req('submit', { ...EMERGENCY, requestId: requestId() }, openid))
}

interface Text {
  numbers: string[]
  text: string
  errCode: number
  linkPage?: string
  fn?: string
}
const texts = async (): Promise<Text[]> =>
  ((await (await fetch(`${cloud.url}/api/local/sms`)).json()) as { sms: Text[] }).sms

/** Who is on duty tonight (the night shift that began at 17:30 runs to 08:30). */
function rosterTonight(staffIds: string[]): void {
  cloud.store.commit(
    ['2026-12-05', '2026-12-06'].map((date) => ({
      coll: 'rosters',
      id: `${STATION}_${date}`,
      doc: {
        _id: `${STATION}_${date}`,
        stationId: STATION,
        date,
        shifts: [{ start: '17:30', end: '08:30', staffIds }]
      }
    }))
  )
}

function setOfficer(patch: Record<string, unknown>): void {
  const doc = { ...NIGHT_OFFICER, ...patch } as Record<string, unknown>
  for (const k of Object.keys(doc)) if (doc[k] === undefined) delete doc[k]
  cloud.store.commit([{ coll: 'staff', id: NIGHT_OFFICER._id, doc: doc as { _id: string } }])
}

const alertsOf = (id: string) =>
  cloud.store
    .docs('outbox')
    .filter((r) => r.template === 'officerAlert' && (r.ref as { id: string }).id === id)

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
})

afterAll(async () => {
  await cloud.close()
})

beforeEach(() => {
  cloud.clock.set(SUNDAY_NIGHT)
  cloud.faults.clear()
  setOfficer({})
  rosterTonight([NIGHT_OFFICER._id])
})

test('Sunday 22:00, the officer never allowed WeChat alerts: a text with a link to the request reaches them, and the resident is told so', async () => {
  const before = (await texts()).length
  const r = await submit(newResident())
  expect(r).toMatchObject({ status: 'submitted', reach: 'reached', dutyPhone: DUTY_PHONE })

  const [alert] = alertsOf(r._id)
  expect(alert).toMatchObject({ touser: NIGHT_OFFICER.openid, status: 'failed', smsStatus: 'sent' })
  expect((alert?.lastError as { errCode: number }).errCode).toBe(43101)
  const sent = await texts()
  expect(sent).toHaveLength(before + 1)
  expect(sent[0]).toMatchObject({
    numbers: ['+8613900009001'],
    errCode: 0,
    fn: 'requests',
    linkPage: `officer/requests/index?id=${r._id}`
  })
  expect(sent[0]?.text).toContain('绿色通道：死亡登记（火化需要）')
  // The text carries no resident's data: not the description, name or mobile.
  expect(sent[0]?.text).not.toMatch(/王芳|13812345678|父亲/)
})

test('an officer with a WeChat grant gets the WeChat alert and no text', async () => {
  await allowTemplates(cloud, NIGHT_OFFICER.openid, ['officerAlert'])
  try {
    const before = (await texts()).length
    const r = await submit(newResident())
    expect(r.reach).toBe('reached')
    expect(alertsOf(r._id)[0]).toMatchObject({ status: 'sent' })
    expect(alertsOf(r._id)[0]?.smsStatus).toBeUndefined()
    expect(await texts()).toHaveLength(before)
  } finally {
    await fetch(`${cloud.url}/api/local/subscriptions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-local-openid': NIGHT_OFFICER.openid },
      body: '{"tmplIds":["local-tmpl-officer-alert"],"answers":{"local-tmpl-officer-alert":"reject"},"keep":false}'
    })
  }
})

test('nobody reachable (no grant, no mobile): the resident is told nobody was reached and given the duty phone, until an officer opens the list', async () => {
  setOfficer({ mobile: undefined })
  const resident = newResident()
  const r = await submit(resident)
  expect(r).toMatchObject({ reach: 'unreached', dutyPhone: DUTY_PHONE })
  expect(alertsOf(r._id)[0]).toMatchObject({ status: 'failed', smsStatus: 'skipped' })
  expect(ok(await req('get', { id: r._id }, resident)).reach).toBe('unreached')

  ok(await req('open', {}, NIGHT_OFFICER.openid))
  expect(ok(await req('get', { id: r._id }, resident)).reach).toBe('reached')
})

test('a WeChat outage: the text goes out at once; while neither channel has delivered the page says "trying", never "received"', async () => {
  await allowTemplates(cloud, NIGHT_OFFICER.openid, ['officerAlert'])
  cloud.faults.failSends({ fn: 'requests', times: 1 }) // WeChat: -1 system error, retried by the timer
  cloud.faults.failSends({ fn: 'requests', times: 1, api: 'cloudbase.sendSmsV2', errCode: -501007 }) // the SMS pack is empty
  const resident = newResident()
  const r = await submit(resident)
  expect(r.reach).toBe('trying')
  expect(alertsOf(r._id)[0]).toMatchObject({ status: 'pending', smsStatus: 'failed' })

  // A minute later the timer retries WeChat, which has recovered.
  cloud.clock.set(SUNDAY_NIGHT + 61_000)
  expect((await cloud.timers.fire('notify')).ok).toBe(true)
  expect(alertsOf(r._id)[0]).toMatchObject({ status: 'sent' })
  expect(ok(await req('get', { id: r._id }, resident)).reach).toBe('reached')
  await fetch(`${cloud.url}/api/local/subscriptions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-local-openid': NIGHT_OFFICER.openid },
    body: '{"tmplIds":["local-tmpl-officer-alert"],"answers":{"local-tmpl-officer-alert":"reject"},"keep":false}'
  })
})

test('a passing failure of both channels at submit: both are retried a minute later, and the text then reaches the officer', async () => {
  cloud.faults.failSends({ fn: 'requests', times: 1 }) // WeChat: -1
  cloud.faults.failSends({ fn: 'requests', times: 1, api: 'cloudbase.sendSmsV2' }) // the text: -1 too
  const resident = newResident()
  const r = await submit(resident)
  expect(r.reach).toBe('trying')
  expect(alertsOf(r._id)[0]).toMatchObject({ status: 'pending', smsError: { errCode: -1 } })
  expect(alertsOf(r._id)[0]?.smsStatus).toBeUndefined()

  cloud.clock.set(SUNDAY_NIGHT + 61_000)
  expect((await cloud.timers.fire('notify')).ok).toBe(true)
  // WeChat now answers 43101 (no grant): final; the text goes out from the timer.
  expect(alertsOf(r._id)[0]).toMatchObject({ status: 'failed', smsStatus: 'sent' })
  expect((await texts())[0]).toMatchObject({ fn: 'notify', numbers: ['+8613900009001'], errCode: 0 })
  expect(ok(await req('get', { id: r._id }, resident)).reach).toBe('reached')
})

test('both channels fail: "unreached"; the escalation 30 minutes on goes over both channels and reaches the leader by text', async () => {
  cloud.faults.failSends({ fn: 'requests', times: 1, api: 'cloudbase.sendSmsV2', errCode: -501007 })
  const resident = newResident()
  const r = await submit(resident)
  expect(r.reach).toBe('unreached')

  cloud.clock.set(SUNDAY_NIGHT + 31 * 60_000)
  const before = (await texts()).length
  expect((await cloud.timers.fire('notify')).ok).toBe(true)
  const sent = (await texts()).slice(0, (await texts()).length - before)
  expect(sent.map((t) => t.numbers[0]).sort()).toEqual(expect.arrayContaining(['+8613900000102']))
  expect(sent.every((t) => t.fn === 'notify' && t.errCode === 0 && t.text.includes('第1次催办'))).toBe(true)
  const leaderAlert = alertsOf(r._id).find((a) => a.touser === LEADER)
  expect(leaderAlert).toMatchObject({ smsStatus: 'sent' })
  expect(ok(await req('get', { id: r._id }, resident)).reach).toBe('reached')
})

test('30 submits at once by one resident: exactly 2 open requests; the others are refused with the duty phone and write nothing of their own', async () => {
  const resident = newResident()
  const results = await Promise.all(
    Array.from({ length: 30 }, () => req('submit', { ...EMERGENCY, requestId: requestId() }, resident))
  )
  const saved = results.filter((x) => x.ok)
  expect(saved).toHaveLength(2)
  const refused = results.filter((x): x is Extract<typeof x, { ok: false }> => !x.ok)
  expect(new Set(refused.map((x) => x.error.code))).toEqual(new Set(['TOO_MANY_OPEN_REQUESTS']))
  expect(refused.every((x) => x.error.message.includes(DUTY_PHONE))).toBe(true)
  const mine = cloud.store.docs('requests').filter((d) => d.openid === resident)
  expect(mine).toHaveLength(2)
  // One alert for each saved request (one officer on duty), none for the refused ones.
  expect(mine.flatMap((d) => alertsOf(d._id))).toHaveLength(2)
  expect(cloud.store.docs('requestQuotas').filter((q) => q.count === 2)).toHaveLength(1)
})

test('at most 5 a day: a sixth is refused with the duty phone and changes nothing; the next day it is accepted', async () => {
  const resident = newResident()
  for (let i = 0; i < 5; i++) {
    const r = await submit(resident)
    // The officer answers each one, so it is no longer open.
    ok(
      await req(
        'decline',
        { id: r._id, reason: '演示：已电话联系', alternative: '明天上午到窗口办理' },
        NIGHT_OFFICER.openid
      )
    )
  }
  const before = snapshot(cloud)
  const sixth = await req('submit', { ...EMERGENCY, requestId: requestId() }, resident)
  expect(sixth.ok ? 'ok' : sixth.error.code).toBe('TOO_MANY_REQUESTS_TODAY')
  expect(sixth.ok ? '' : sixth.error.message).toContain(DUTY_PHONE)
  expect(snapshot(cloud)).toEqual(before)

  cloud.clock.set(SUNDAY_NIGHT + 3 * 3_600_000) // Monday 01:00 in Shanghai
  rosterTonight([NIGHT_OFFICER._id])
  expect((await submit(resident)).status).toBe('submitted')
})

test('a retried submit (same request id) is not counted twice against the limits', async () => {
  const resident = newResident()
  const id = requestId()
  const first = ok(await req('submit', { ...EMERGENCY, requestId: id }, resident))
  const again = ok(await req('submit', { ...EMERGENCY, requestId: id }, resident))
  expect(again._id).toBe(first._id)
  expect((await submit(resident)).status).toBe('submitted')
})
