/**
 * Grant counts (订阅次数) through the local cloud: the app's own count of sends left per template,
 * since WeChat gives the server no way to read it. A one-time accept adds one, a delivered send
 * takes one, WeChat's 43101 sets it to zero; a long-term accept shows as unlimited; each caller
 * records and reads only their own; bad input writes nothing.
 */
import type { GrantItem, NotifyOutputs } from '../../types/notify'
import type { Result } from '../../types/result'
import type { TemplateKey } from '../../types/templates'
import { ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

const STATION = 'st-yunxi-chengguan'
const NOW = Date.parse('2026-12-01T12:00:00Z') // Tuesday 20:00 in Shanghai
const OFFICER = 'demo-officer-li'
const RESIDENT = 'r-grants-wang'

function notify<A extends keyof NotifyOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<NotifyOutputs[A]>>(cloud, 'notify', { action, payload }, openid).then(
    (r) => r.body
  )
}

const item = (items: GrantItem[], key: TemplateKey) => items.find((i) => i.template === key)

/** The local cloud's own grants (what WeChat would count). */
const allowInCloud = (openid: string, keys: TemplateKey[]) => allowTemplates(cloud, openid, keys)

async function emergency(openid = RESIDENT) {
  const res = await callFunction<Result<{ _id: string }>>(
    cloud,
    'requests',
    {
      action: 'submit',
      payload: {
        requestId: requestId(),
        kind: 'emergency',
        category: 'death_cremation',
        description: '家中老人去世，明早火化需要死亡证明',
        contactName: '王芳',
        mobile: '13812345678',
        stationId: STATION
      }
    },
    openid
  )
  return ok(res.body)
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(NOW)
  cloud.store.commit([
    {
      coll: 'rosters',
      id: `${STATION}_2026-12-01`,
      doc: {
        _id: `${STATION}_2026-12-01`,
        stationId: STATION,
        date: '2026-12-01',
        shifts: [{ start: '17:30', end: '08:30', staffIds: ['staff-officer-li'] }]
      }
    }
  ])
})

afterAll(async () => {
  await cloud.close()
})

test('a resident sees the resident templates, none granted yet', async () => {
  const grants = ok(await notify('grants', {}, RESIDENT))
  expect(grants.map((g) => g.template)).toEqual(
    expect.arrayContaining(['bookingConfirmed', 'bookingReminder', 'requestProgress'])
  )
  expect(grants.some((g) => g.template === 'officerAlert')).toBe(false)
  expect(grants.every((g) => g.left === 0 && !g.unlimited)).toBe(true)
})

test('one-time accepts add one each; a refusal leaves earlier grants', async () => {
  ok(
    await notify(
      'recordSubscribe',
      { results: { bookingConfirmed: 'accept', bookingReminder: 'accept' } },
      RESIDENT
    )
  )
  const after = ok(
    await notify(
      'recordSubscribe',
      { results: { bookingReminder: 'accept', bookingConfirmed: 'reject' } },
      RESIDENT
    )
  )
  expect(item(after, 'bookingConfirmed')).toMatchObject({ left: 1, unlimited: false })
  expect(item(after, 'bookingReminder')).toMatchObject({ left: 2, unlimited: false })
  expect(cloud.store.docs('grantCounts').find((d) => d._id === `${RESIDENT}_bookingReminder`)).toMatchObject({
    openid: RESIDENT,
    template: 'bookingReminder',
    count: 2
  })
})

test('only the caller’s own: another user sees none of it', async () => {
  const other = ok(await notify('grants', {}, 'r-grants-zhao'))
  expect(item(other, 'bookingReminder')).toMatchObject({ left: 0 })
})

test('an officer sees the staff alerts; a long-term accept shows as unlimited, a refusal takes it away', async () => {
  const before = ok(await notify('grants', {}, OFFICER))
  // The service-request alert and the bad-review follow-up alert, both long-term: asked for together.
  expect(before.map((g) => g.template)).toEqual(['officerAlert', 'followUpAlert'])
  expect(before[0]).toMatchObject({ kind: 'long-term', unlimited: false, left: 0 })
  expect(before[1]).toMatchObject({ kind: 'long-term', unlimited: false, left: 0 })
  const accepted = ok(await notify('recordSubscribe', { results: { officerAlert: 'accept' } }, OFFICER))
  expect(item(accepted, 'officerAlert')).toMatchObject({ unlimited: true })
  const refused = ok(await notify('recordSubscribe', { results: { officerAlert: 'reject' } }, OFFICER))
  expect(item(refused, 'officerAlert')).toMatchObject({ unlimited: false, left: 0 })
  ok(await notify('recordSubscribe', { results: { officerAlert: 'accept' } }, OFFICER))
})

test('a delivered send takes one; a long-term grant is not counted down', async () => {
  await allowInCloud(RESIDENT, ['requestProgress'])
  await allowInCloud(OFFICER, ['officerAlert'])
  ok(await notify('recordSubscribe', { results: { requestProgress: 'accept' } }, RESIDENT))
  const request = await emergency()
  // The alert went out at once from the requests function.
  expect(cloud.messages.list({ touser: OFFICER }).filter((m) => m.errCode === 0)).toHaveLength(1)
  expect(item(ok(await notify('grants', {}, OFFICER)), 'officerAlert')).toMatchObject({ unlimited: true })

  const accepted = await callFunction<Result<unknown>>(
    cloud,
    'requests',
    {
      action: 'accept',
      payload: {
        id: request._id,
        agreedAt: new Date(cloud.clock.now() + 3_600_000).toISOString(),
        place: '城关派出所户政窗口'
      }
    },
    OFFICER
  )
  expect(accepted.body.ok).toBe(true)
  expect(cloud.messages.list({ touser: RESIDENT }).filter((m) => m.errCode === 0)).toHaveLength(1)
  expect(item(ok(await notify('grants', {}, RESIDENT)), 'requestProgress')).toMatchObject({ left: 0 })
})

test('WeChat’s 43101 sets the count to zero', async () => {
  // The app believes there are 2 left, but WeChat has none (the one grant was used above).
  ok(await notify('recordSubscribe', { results: { requestProgress: 'accept' } }, RESIDENT))
  ok(await notify('recordSubscribe', { results: { requestProgress: 'accept' } }, RESIDENT))
  expect(item(ok(await notify('grants', {}, RESIDENT)), 'requestProgress')).toMatchObject({ left: 2 })
  const request = await emergency()
  const declined = await callFunction<Result<unknown>>(
    cloud,
    'requests',
    {
      action: 'decline',
      payload: { id: request._id, reason: '今晚无法办理', alternative: '请明早八点半到窗口' }
    },
    OFFICER
  )
  expect(declined.body.ok).toBe(true)
  const refused = cloud.store
    .docs('outbox')
    .find((r) => r.touser === RESIDENT && (r.ref as { id: string }).id === request._id)
  expect(refused).toMatchObject({ status: 'failed', lastError: { errCode: 43101 } })
  expect(item(ok(await notify('grants', {}, RESIDENT)), 'requestProgress')).toMatchObject({ left: 0 })
})

test('bad input writes nothing', async () => {
  const before = snapshot(cloud)
  const bad: unknown[] = [
    {},
    { results: {} },
    { results: { noSuchTemplate: 'accept' } },
    { results: { bookingConfirmed: 'maybe' } },
    { results: { bookingConfirmed: 'accept' }, openid: 'someone-else' },
    { results: 'accept' }
  ]
  for (const payload of bad) {
    const res = await notify('recordSubscribe', payload, RESIDENT)
    expect(res.ok ? 'ok' : res.error.code).toBe('INVALID_INPUT')
  }
  const anonymous = await notify('recordSubscribe', { results: { bookingConfirmed: 'accept' } }, '')
  expect(anonymous.ok ? 'ok' : anonymous.error.code).toBe('UNAUTHENTICATED')
  expect(snapshot(cloud).grantCounts).toEqual(before.grantCounts)
})
