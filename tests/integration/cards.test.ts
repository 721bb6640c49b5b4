/**
 * 制证进度 through the local cloud: an acceptance from a checked-in ID-card booking (its resident
 * follows the card) or for a walk-in; every stage change, and refusals out of order that change
 * nothing; a batch of 50 receipt numbers with mixed answers in a bounded number of database
 * requests; following by receipt number + ID number (right pair, wrong pair answered like an
 * unknown number, the daily limit); pickup or post with the address protected in the database and
 * masked in views; who may do what; the ready and posted messages, with and without a grant; the
 * retention purge.
 */
import type { CardsOutputs } from '../../types/cards'
import { idCheckCharacter } from '../../types/identity'
import type { Result } from '../../types/result'
import { appointment, ok, requestId } from '../helpers/appointments'
import { callFunction, freshCloud, snapshot } from '../helpers/cloud'
import { allowTemplates } from '../helpers/subscriptions'

type Cloud = Awaited<ReturnType<typeof freshCloud>>
let cloud: Cloud

jest.setTimeout(60_000)

const STATION = 'st-yunxi-chengguan'
const LI = 'demo-officer-li'
const SUPERVISOR = 'demo-supervisor-chen'
const ELSEWHERE = 'officer-cards-elsewhere'
const WANG = 'r-cards-wang'
const ZHAO = 'r-cards-zhao'
const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))

/** A valid ID number for a birth date and a serial (the check character computed). */
const idNumber = (birth: string, serial: number) => {
  const first17 = `420322${birth}${String(serial).padStart(3, '0')}`
  return `${first17}${idCheckCharacter(first17)}`
}
const WANG_ID = idNumber('19800512', 123)
const WALKIN_ID = idNumber('19920101', 456)

function c<A extends keyof CardsOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<CardsOutputs[A]>>(cloud, 'cards', { action, payload }, openid).then(
    (r) => r.body
  )
}
const code = (r: Result<unknown>) => (r.ok ? 'ok' : r.error.code)
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))
/**
 * A call killed by an injected crash, then the officer's next tap: the platform may still route it
 * to an instance on its way out (answered "instance exited"); they tap again.
 */
async function tapAgain<A extends 'batch' | 'post'>(action: A, payload: unknown) {
  for (let i = 0; i < 20; i++) {
    const next = await callFunction<Result<CardsOutputs[A]>>(cloud, 'cards', { action, payload }, LI)
    // BUSY: a transaction the dead instance left open holds the card until it is rolled back.
    if (next.status === 200 && code(next.body) !== 'BUSY') return next.body
    await sleep(300)
  }
  throw new Error('the function did not come back after the crash')
}
/** The outbox's dedupe keys of one resident's messages. */
const outboxKeys = (openid: string) =>
  cloud.store
    .docs('outbox')
    .filter((m) => m.touser === openid)
    .map((m) => m.dedupeKey as string)

async function refused(call: () => Promise<Result<unknown>>, expected: string) {
  const before = snapshot(cloud)
  const res = await call()
  expect(code(res)).toBe(expected)
  expect(snapshot(cloud)).toEqual(before)
  return res
}

const cardDoc = (receipt: string) =>
  cloud.store.docs('idCards').find((d) => d.receipt === receipt) as Record<string, unknown> & {
    _id: string
    status: string
  }
const accept = (receipt: string, extra: Record<string, unknown> = {}) =>
  c('accept', { stationId: STATION, receipt, holder: { name: '赵丽华', idNumber: WALKIN_ID }, ...extra }, LI)
const batch = (stage: 'making' | 'ready', receipts: string[], who = LI) =>
  c('batch', { stationId: STATION, stage, receipts }, who)
const fire = async () =>
  (await (await fetch(`${cloud.url}/api/local/timers/notify`, { method: 'POST' })).json()) as {
    result: { purged: Record<string, number> }
  }

let bookingId = ''
let bookingCode = ''

beforeAll(async () => {
  // A transaction left open by a killed instance is rolled back after 2 s (the platform's is longer).
  cloud = await freshCloud({ timers: false, transactionLifetimeMs: 2000 })
  cloud.store.commit([
    {
      coll: 'staff',
      id: 'staff-cards-elsewhere',
      doc: {
        _id: 'staff-cards-elsewhere',
        openid: ELSEWHERE,
        name: '外所民警',
        role: 'officer',
        stationId: 'st-other',
        active: true
      }
    }
  ])
  // Wang books an ID-card renewal with her ID number, and is checked in at the window.
  at('2026-12-24T10:00:00')
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-idcard-renew',
        slotId: `${STATION}_2026-12-28_1000_capture`,
        applicant: { name: '王芳', mobile: '13812345678', relation: 'self', idNumber: WANG_ID },
        consent: true
      },
      WANG
    )
  )
  bookingId = booked._id
  bookingCode = booked.code
})

afterAll(async () => {
  await cloud.close()
})

describe('recording an acceptance', () => {
  test('a booking not yet checked in, a bad receipt number, a walk-in without its holder or with a wrong ID number: refused, nothing written', async () => {
    at('2026-12-28T09:00:00')
    await refused(
      () => c('accept', { stationId: STATION, receipt: 'SZ20261228001', appointmentId: bookingId }, LI),
      'CARD_BOOKING_NOT_ELIGIBLE'
    )
    await refused(() => accept('12-34'), 'CARD_RECEIPT_INVALID')
    await refused(
      () => c('accept', { stationId: STATION, receipt: 'SZ20261228099' }, LI),
      'CARD_HOLDER_REQUIRED'
    )
    await refused(
      () =>
        c(
          'accept',
          {
            stationId: STATION,
            receipt: 'SZ20261228099',
            holder: { name: '赵丽华', idNumber: '420322199201014560' }
          },
          LI
        ),
      'ID_NUMBER_INVALID'
    )
  })

  test('from a checked-in booking: the booking’s resident follows the card; a retry is the same card', async () => {
    at('2026-12-28T10:01:00')
    const checkIn = await callFunction<Result<unknown>>(
      cloud,
      'staff',
      { action: 'checkIn', payload: { code: bookingCode } },
      LI
    )
    expect(code(checkIn.body)).toBe('ok')
    const first = ok(
      await c('accept', { stationId: STATION, receipt: 'sz 2026-1228-001', appointmentId: bookingId }, LI)
    )
    expect(first).toMatchObject({ receipt: 'SZ20261228001', status: 'accepted', followed: true })
    const again = ok(
      await c('accept', { stationId: STATION, receipt: 'SZ20261228001', appointmentId: bookingId }, LI)
    )
    expect(again.cardId).toBe(first.cardId)
    expect(cloud.store.docs('idCards')).toHaveLength(1)
    const mine = ok(await c('mine', {}, WANG))
    expect(mine).toHaveLength(1)
    expect(mine[0]).toMatchObject({
      receipt: 'SZ20261228001',
      status: 'accepted',
      statusLabel: '已受理',
      holderMasked: '王*',
      idMasked: `${WANG_ID.slice(0, 6)}********${WANG_ID.slice(-4)}`,
      delivery: 'pickup',
      changeable: true
    })
    expect(mine[0]?.station.address).toBeTruthy()
    // The same receipt number for someone else is a second card: refused.
    await refused(() => accept('SZ20261228001'), 'CARD_ALREADY_RECORDED')
  })

  test('a walk-in: the holder’s name and ID number are stored protected, shown masked', async () => {
    const card = ok(await accept('SZ20261228002'))
    expect(card).toMatchObject({ status: 'accepted', followed: false })
    const stored = JSON.stringify(cardDoc('SZ20261228002'))
    expect(stored).not.toContain('赵丽华')
    expect(stored).not.toContain(WALKIN_ID)
    expect(cardDoc('SZ20261228002').holder).toMatchObject({ nameMasked: '赵**' })
  })

  test('a checked-in booking of an earlier day is not eligible: the acceptance is recorded at its visit', async () => {
    at('2026-12-29T09:00:00')
    await refused(
      () => c('accept', { stationId: STATION, receipt: 'SZ20261229001', appointmentId: bookingId }, LI),
      'CARD_BOOKING_NOT_ELIGIBLE'
    )
  })
})

describe('stages', () => {
  test('every step in order; out of order is refused with CARD_STAGE_ORDER and changes nothing', async () => {
    at('2026-12-28T11:00:00')
    // Not yet at the station: cannot be picked up, cannot skip 制证中.
    const early = await refused(
      () => c('pickUp', { stationId: STATION, receipt: 'SZ20261228001' }, LI),
      'CARD_STAGE_ORDER'
    )
    expect(!early.ok && early.error.message).toContain('已受理')
    expect(ok(await batch('ready', ['SZ20261228001'])).items[0]).toMatchObject({
      outcome: 'out_of_order',
      status: 'accepted'
    })
    expect(cardDoc('SZ20261228001').status).toBe('accepted')

    expect(ok(await batch('making', ['SZ20261228001'])).items[0]).toMatchObject({
      outcome: 'done',
      status: 'making'
    })
    expect(ok(await batch('making', ['SZ20261228001'])).items[0]).toMatchObject({ outcome: 'already' })
    at('2026-12-31T09:00:00')
    expect(ok(await batch('ready', ['SZ20261228001'])).items[0]).toMatchObject({
      outcome: 'done',
      status: 'ready'
    })
    // Back to 制证中 is out of order.
    expect(ok(await batch('making', ['SZ20261228001'])).items[0]).toMatchObject({ outcome: 'out_of_order' })
    // Posting needs the resident's choice of post.
    await refused(
      () => c('post', { stationId: STATION, receipt: 'SZ20261228001', tracking: 'SF1234567890' }, LI),
      'CARD_NOT_POSTAL'
    )
    at('2026-12-31T15:00:00')
    expect(ok(await c('pickUp', { stationId: STATION, receipt: 'sz20261228001' }, LI))).toMatchObject({
      status: 'picked_up',
      statusLabel: '已领取'
    })
    const twice = await refused(
      () => c('pickUp', { stationId: STATION, receipt: 'SZ20261228001' }, LI),
      'CARD_STAGE_ORDER'
    )
    expect(!twice.ok && twice.error.message).toContain('已领取')
    const [card] = ok(await c('mine', {}, WANG))
    expect(card?.stages.map((s) => s.label)).toEqual(['已受理', '制证中', '已到所可领取', '已领取'])
    expect(card?.changeable).toBe(false)
    // Each stage keeps who marked it.
    const stages = cardDoc('SZ20261228001').stages as Record<string, { by: string }>
    expect(Object.values(stages).every((s) => s.by === 'staff-officer-li')).toBe(true)
    await refused(
      () => c('choose', { cardId: card?.cardId, delivery: 'pickup' }, WANG),
      'CARD_DELIVERY_CLOSED'
    )
    await refused(() => c('pickUp', { stationId: STATION, receipt: 'SZ20269999999' }, LI), 'CARD_UNKNOWN')
  })

  test('two officers marking one card at once: one moves it, the other is told it is already there', async () => {
    ok(await accept('SZ20261228003'))
    // Both reads answer late, so both calls find the card 已受理 before either writes.
    cloud.faults.delayOn({
      fn: 'cards',
      action: 'database.getDocument',
      collection: 'idCards',
      ms: 400,
      times: 2
    })
    const [a, b] = await Promise.all([batch('making', ['SZ20261228003']), batch('making', ['SZ20261228003'])])
    cloud.faults.clear()
    const outcomes = [ok(a).items[0]?.outcome, ok(b).items[0]?.outcome].sort()
    expect(outcomes).toEqual(['already', 'done'])
    expect(cardDoc('SZ20261228003').status).toBe('making')
  })
})

describe('following a walk-in card', () => {
  test('a wrong pair is answered exactly like an unknown number; the right pair follows it', async () => {
    at('2027-01-04T09:00:00')
    const wrong = await c('follow', { receipt: 'SZ20261228002', idNumber: WANG_ID }, ZHAO)
    const unknown = await c('follow', { receipt: 'SZ20269999999', idNumber: WALKIN_ID }, ZHAO)
    expect(wrong).toEqual(unknown)
    expect(code(wrong)).toBe('CARD_NOT_MATCHED')
    expect(cardDoc('SZ20261228002').openid).toBeUndefined()
    const followed = ok(
      await c('follow', { receipt: 'sz-20261228-002', idNumber: WALKIN_ID.toLowerCase() }, ZHAO)
    )
    expect(followed).toMatchObject({ receipt: 'SZ20261228002', holderMasked: '赵**' })
    expect(ok(await c('mine', {}, ZHAO)).map((x) => x.receipt)).toEqual(['SZ20261228002'])
    // Someone else with the right pair cannot take it over.
    expect(code(await c('follow', { receipt: 'SZ20261228002', idNumber: WALKIN_ID }, 'r-cards-sun'))).toBe(
      'CARD_FOLLOWED_ELSEWHERE'
    )
  })

  test('ten attempts a day per account, then refused without a lookup; the next day again', async () => {
    const GUESSER = 'r-cards-guesser'
    for (let i = 0; i < 10; i++)
      expect(code(await c('follow', { receipt: `SZ2026122810${i}`, idNumber: WALKIN_ID }, GUESSER))).toBe(
        'CARD_NOT_MATCHED'
      )
    // Even the right pair is refused now.
    await refused(
      () => c('follow', { receipt: 'SZ20261228003', idNumber: WALKIN_ID }, GUESSER),
      'CARD_FOLLOW_LIMIT'
    )
    at('2027-01-05T09:00:00')
    expect(ok(await c('follow', { receipt: 'SZ20261228003', idNumber: WALKIN_ID }, GUESSER)).receipt).toBe(
      'SZ20261228003'
    )
  })
})

describe('pickup or post', () => {
  const ADDRESS = {
    recipient: '赵丽华',
    mobile: '13955554444',
    region: '湖北省十堰市郧西县',
    street: '城关镇人民路88号3栋'
  }

  test('the address is protected in the database, masked for the resident, in full only to staff (audited)', async () => {
    const [card] = ok(await c('mine', {}, ZHAO))
    const id = card?.cardId as string
    await refused(() => c('choose', { cardId: id, delivery: 'post' }, ZHAO), 'CARD_ADDRESS_REQUIRED')
    await refused(() => c('choose', { cardId: id, delivery: 'post', address: ADDRESS }, WANG), 'NOT_FOUND')
    const chosen = ok(await c('choose', { cardId: id, delivery: 'post', address: ADDRESS }, ZHAO))
    expect(chosen.delivery).toBe('post')
    expect(chosen.addressMasked).toBe('赵** 139****4444 湖北省十堰市郧西县城关镇人*******')
    const stored = JSON.stringify(cardDoc('SZ20261228002'))
    for (const plain of ['13955554444', '人民路88号', '赵丽华']) expect(stored).not.toContain(plain)
    // Changing back to pickup drops the address; choosing post again needs it again.
    expect(ok(await c('choose', { cardId: id, delivery: 'pickup' }, ZHAO)).addressMasked).toBeUndefined()
    expect(cardDoc('SZ20261228002').addressProtected).toBeUndefined()
    await refused(() => c('choose', { cardId: id, delivery: 'post' }, ZHAO), 'CARD_ADDRESS_REQUIRED')
    ok(await c('choose', { cardId: id, delivery: 'post', address: ADDRESS }, ZHAO))
    // Staff read the full address to write the label; the read is on record.
    const before = cloud.store.docs('audit').length
    const full = ok(await c('address', { stationId: STATION, cardId: id }, LI))
    expect(full).toMatchObject({ ...ADDRESS, holderMasked: '赵**' })
    const entries = cloud.store.docs('audit').slice(before)
    expect(entries).toHaveLength(1)
    expect(entries[0]).toMatchObject({ action: 'cards.address', recordKind: 'idCards', recordIds: [id] })
    expect(JSON.stringify(entries[0])).not.toContain('13955554444')
  })

  test('once staff read the address for the label, the resident can no longer change it online', async () => {
    const [card] = ok(await c('mine', {}, ZHAO))
    const id = card?.cardId as string
    expect(card).toMatchObject({ changeable: false, addressLocked: true })
    const moved = { ...ADDRESS, region: '湖北省武汉市洪山区', street: '珞喻路1037号' }
    for (const change of [{ delivery: 'post', address: moved }, { delivery: 'pickup' }, { delivery: 'post' }])
      await refused(() => c('choose', { cardId: id, ...change }, ZHAO), 'CARD_ADDRESS_LOCKED')
    // The label's address is still the one stored.
    expect(ok(await c('address', { stationId: STATION, cardId: id }, LI))).toMatchObject(ADDRESS)
  })

  test('posted with a tracking number: the resident is told; the choice is then closed', async () => {
    await allowTemplates(cloud, ZHAO, ['cardProgress'])
    ok(await batch('making', ['SZ20261228002']))
    ok(await batch('ready', ['SZ20261228002']))
    await refused(
      () => c('post', { stationId: STATION, receipt: 'SZ20261228002', tracking: '123' }, LI),
      'CARD_TRACKING_INVALID'
    )
    const posted = ok(
      await c(
        'post',
        { stationId: STATION, receipt: 'SZ20261228002', tracking: 'sf 1234 5678 901', carrier: '顺丰' },
        LI
      )
    )
    expect(posted.status).toBe('posted')
    const [card] = ok(await c('mine', {}, ZHAO))
    expect(card).toMatchObject({
      status: 'posted',
      tracking: 'SF12345678901',
      carrier: '顺丰',
      changeable: false
    })
    await refused(
      () => c('choose', { cardId: card?.cardId, delivery: 'pickup' }, ZHAO),
      'CARD_DELIVERY_CLOSED'
    )
    const sent = cloud.messages.list({ touser: ZHAO, limit: 10 })
    const delivered = sent.filter((m) => m.errCode === 0)
    expect(delivered.length).toBeGreaterThanOrEqual(1)
    // The ready message waits for the notify timer; the posted one is sent at once.
    expect(delivered).toHaveLength(1)
    expect(Object.values(delivered[0]?.data ?? {}).map((d) => d.value)).toEqual(
      expect.arrayContaining(['已寄出', 'SZ20261228002', '单号SF12345678901'])
    )
  })

  test('chosen for post but collected at the window: picked up, and the address is dropped', async () => {
    ok(await accept('SZ20261228004'))
    const followed = ok(await c('follow', { receipt: 'SZ20261228004', idNumber: WALKIN_ID }, ZHAO))
    ok(await c('choose', { cardId: followed.cardId, delivery: 'post', address: ADDRESS }, ZHAO))
    ok(await batch('making', ['SZ20261228004']))
    ok(await batch('ready', ['SZ20261228004']))
    expect(ok(await c('pickUp', { stationId: STATION, receipt: 'SZ20261228004' }, LI)).status).toBe(
      'picked_up'
    )
    expect(cardDoc('SZ20261228004').addressProtected).toBeUndefined()
    expect(cardDoc('SZ20261228004').addressMasked).toBeUndefined()
    // Collected at the window: the card says so, to the resident and in the station's lists.
    const [card] = ok(await c('mine', {}, ZHAO)).filter((x) => x.receipt === 'SZ20261228004')
    expect(card).toMatchObject({ status: 'picked_up', delivery: 'pickup', changeable: false })
  })
})

describe('a batch of 50', () => {
  test('mixed answers per code, in a bounded number of database requests; the followers are told', async () => {
    at('2027-01-06T09:00:00')
    const receipts = Array.from({ length: 46 }, (_, i) => `YX2027010600${String(i).padStart(2, '0')}`)
    // 40 made (5 of them followed by residents through bookings-free follow), 3 already ready, 3 only accepted.
    for (const group of [receipts.slice(0, 23), receipts.slice(23)])
      await Promise.all(group.map((r) => accept(r).then(ok)))
    ok(await batch('making', receipts.slice(0, 43)))
    ok(await batch('ready', receipts.slice(40, 43)))
    const followers = receipts.slice(0, 5).map((r, i) => ({ r, who: `r-cards-batch-${i}` }))
    for (const { r, who } of followers) ok(await c('follow', { receipt: r, idNumber: WALKIN_ID }, who))
    await allowTemplates(cloud, 'r-cards-batch-0', ['cardProgress'])

    const typed = [...receipts, 'YX2027010699', 'YX2027010698', 'YX2027010697', '???']
    expect(typed).toHaveLength(50)
    cloud.faults.resetCounts()
    const res = ok(await batch('ready', typed))
    const requests = cloud.faults.requestCounts().cards ?? 0
    // The caller's staff record, the station (cached afterwards), one read, one update, one outbox record per follower.
    expect(requests).toBeLessThanOrEqual(1 + 1 + 2 + followers.length)
    expect(res.counts).toEqual({ done: 40, already: 3, out_of_order: 3, unknown: 3, invalid: 1 })
    expect(res.items[0]).toMatchObject({ input: receipts[0], outcome: 'done', status: 'ready' })
    expect(res.items[43]).toMatchObject({ outcome: 'out_of_order', status: 'accepted' })
    expect(res.items[49]).toEqual({ input: '???', outcome: 'invalid' })
    expect(
      cloud.store
        .docs('idCards')
        .filter((d) => receipts.includes(d.receipt as string) && d.status === 'ready')
    ).toHaveLength(43)

    // The notify timer sends the ready messages: delivered with a grant; without one WeChat refuses
    // (43101), the message stays readable in 我的消息 and the page shows the stage all the same.
    await fire()
    const told = cloud.messages.list({ touser: 'r-cards-batch-0' })
    expect(told.filter((m) => m.errCode === 0)).toHaveLength(1)
    expect(told[0]?.page).toContain('pages/cards/index?id=')
    const untold = cloud.messages.list({ touser: 'r-cards-batch-1' })
    expect(untold.every((m) => m.errCode === 43101)).toBe(true)
    expect(ok(await c('mine', {}, 'r-cards-batch-1'))[0]?.status).toBe('ready')
  })
})

describe('who may do what', () => {
  test('another station’s officer, a resident and another resident are refused; a supervisor oversees', async () => {
    const outside = await refused(() => batch('ready', ['YX202701060043'], ELSEWHERE), 'FORBIDDEN')
    expect(!outside.ok && outside.error.message).toBe('您只能查看和办理本所的事项')
    await refused(() => c('list', { stationId: STATION, stage: 'ready' }, WANG), 'FORBIDDEN')
    await refused(() => c('pickUp', { stationId: STATION, receipt: 'YX202701060000' }, ZHAO), 'FORBIDDEN')
    // Naming their own station, an officer elsewhere does not find this station's cards.
    expect(
      ok(await c('batch', { stationId: 'st-other', stage: 'ready', receipts: ['YX202701060043'] }, ELSEWHERE))
        .counts.unknown
    ).toBe(1)
    // A supervisor oversees every station: the list shows masked holders, and the read is audited.
    const before = cloud.store.docs('audit').length
    const list = ok(await c('list', { stationId: STATION, stage: 'ready' }, SUPERVISOR))
    expect(list.length).toBeGreaterThanOrEqual(43)
    expect(list[0]).toMatchObject({ status: 'ready', holderMasked: '赵**' })
    expect(JSON.stringify(list)).not.toContain(WALKIN_ID)
    expect(cloud.store.docs('audit').slice(before)).toEqual([
      expect.objectContaining({ action: 'cards.list', recordKind: 'idCards', stationId: STATION })
    ])
  })
})

describe('retention', () => {
  test('90 days after pickup or posting the holder and the address are erased; open cards keep theirs', async () => {
    const posted = () => cardDoc('SZ20261228002') // posted on 2027-01-04
    const open = () => cardDoc('YX202701060043') // accepted, never finished
    expect(posted().addressProtected).toBeDefined()
    // 2027-04-03: 93 days after the first card was picked up (12-31), 89 after the posting (01-04).
    at('2027-04-03T03:20:00')
    expect((await fire()).result.purged.cards).toBe(1)
    expect(cardDoc('SZ20261228001').holder).toEqual({ nameMasked: '（已清除）' })
    expect(posted().addressProtected).toBeDefined()
    at('2027-04-06T03:20:00') // the posted card, and the one collected on 01-04
    expect((await fire()).result.purged.cards).toBe(2)
    for (const field of ['addressProtected', 'addressMasked', 'holderKey'])
      expect(posted()[field]).toBeUndefined()
    expect(posted().holder).toEqual({ nameMasked: '（已清除）' })
    expect(posted()).toMatchObject({ status: 'posted', tracking: 'SF12345678901', receipt: 'SZ20261228002' })
    expect((open().holder as { nameProtected?: string }).nameProtected).toBeDefined()
    // Who followed it is erased too: the card leaves the resident's list.
    expect(posted().openid).toBeUndefined()
    expect(ok(await c('mine', {}, ZHAO)).map((x) => x.receipt)).not.toContain('SZ20261228002')
    // A purged card can no longer be followed by its ID number.
    expect(code(await c('follow', { receipt: 'SZ20261228002', idNumber: WALKIN_ID }, 'r-cards-late'))).toBe(
      'CARD_NOT_MATCHED'
    )
  })
})

describe('crashes and races', () => {
  const ADDRESS = {
    recipient: '赵丽华',
    mobile: '13955554444',
    region: '湖北省十堰市郧西县',
    street: '城关镇人民路88号3栋'
  }
  const STRANGER_ADDRESS = {
    recipient: '钱多多',
    mobile: '13700001111',
    region: '广东省深圳市南山区',
    street: '科技园科苑路1号'
  }

  /** A walk-in card followed by `who`, at `stage`, with post chosen when an address is given. */
  async function followedCard(
    receipt: string,
    who: string,
    stage: 'accepted' | 'making' | 'ready',
    address?: object
  ) {
    ok(await accept(receipt))
    const { cardId } = ok(await c('follow', { receipt, idNumber: WALKIN_ID }, who))
    if (address) ok(await c('choose', { cardId, delivery: 'post', address }, who))
    if (stage !== 'accepted') ok(await batch('making', [receipt]))
    if (stage === 'ready') ok(await batch('ready', [receipt]))
    return cardId
  }

  test('a batch that dies before queueing the ready message: its retry answers "already" and queues it, once', async () => {
    at('2027-05-10T09:00:00')
    const id = await followedCard('RC2027051001', 'r-cards-crash-1', 'making')
    cloud.faults.crashOn({ fn: 'cards', action: 'database.insertDocument', collection: 'outbox' })
    const payload = { stationId: STATION, stage: 'ready', receipts: ['RC2027051001'] }
    const crashed = await callFunction(cloud, 'cards', { action: 'batch', payload }, LI)
    cloud.faults.clear()
    expect(crashed.status).not.toBe(200)
    expect(cardDoc('RC2027051001').status).toBe('ready')
    expect(outboxKeys('r-cards-crash-1')).toEqual([])
    expect(ok(await tapAgain('batch', payload)).items[0]).toMatchObject({ outcome: 'already' })
    expect(outboxKeys('r-cards-crash-1')).toEqual([`card:${id}:ready`])
    // Scanned again: nothing more is queued.
    ok(await batch('ready', ['RC2027051001']))
    expect(outboxKeys('r-cards-crash-1')).toHaveLength(1)
  })

  test('a posting that dies midway leaves the card ready and nothing queued; the retry posts it and tells the follower', async () => {
    const who = 'r-cards-crash-2'
    const id = await followedCard('RC2027051002', who, 'ready', ADDRESS)
    await allowTemplates(cloud, who, ['cardProgress'])
    const payload = { stationId: STATION, receipt: 'RC2027051002', tracking: 'SF2027051002' }
    cloud.faults.crashOn({ fn: 'cards', action: 'database.insertDocument', collection: 'outbox' })
    const crashed = await callFunction(cloud, 'cards', { action: 'post', payload }, LI)
    cloud.faults.clear()
    expect(crashed.status).not.toBe(200)
    expect(cardDoc('RC2027051002')).toMatchObject({ status: 'ready' })
    expect(cardDoc('RC2027051002').tracking).toBeUndefined()
    expect(outboxKeys(who)).toEqual([`card:${id}:ready`])
    // Until the dead call's transaction is rolled back the card is busy; then the retry goes through.
    expect(ok(await tapAgain('post', payload)).status).toBe('posted')
    expect(outboxKeys(who)).toEqual([`card:${id}:ready`, `card:${id}:posted`])
    expect(cloud.messages.list({ touser: who }).filter((m) => m.errCode === 0)).toHaveLength(1)
  })

  test('post keeping the stored address, raced by a change to pickup: never post without an address', async () => {
    const who = 'r-cards-race-1'
    const id = await followedCard('RC2027051003', who, 'ready', ADDRESS)
    // The first call's read of the card answers late; the change to pickup lands meanwhile.
    cloud.faults.delayOn({
      fn: 'cards',
      action: 'database.getDocument',
      collection: 'idCards',
      ms: 2500,
      times: 1
    })
    const keep = c('choose', { cardId: id, delivery: 'post' }, who)
    await sleep(600)
    const pickup = await c('choose', { cardId: id, delivery: 'pickup' }, who)
    const kept = await keep
    cloud.faults.clear()
    expect(code(pickup)).toBe('ok')
    expect(code(kept)).toBe('CARD_ADDRESS_REQUIRED')
    expect(cardDoc('RC2027051003')).toMatchObject({ delivery: 'pickup' })
    expect(cardDoc('RC2027051003').addressProtected).toBeUndefined()
    await refused(
      () => c('post', { stationId: STATION, receipt: 'RC2027051003', tracking: 'SF2027051003' }, LI),
      'CARD_NOT_POSTAL'
    )
  })

  test('picked up while the resident chooses post: no address is left on the collected card', async () => {
    const who = 'r-cards-race-2'
    const id = await followedCard('RC2027051004', who, 'ready')
    cloud.faults.delayOn({
      fn: 'cards',
      action: 'database.getDocument',
      collection: 'idCards',
      ms: 2500,
      times: 1
    })
    const pickUp = c('pickUp', { stationId: STATION, receipt: 'RC2027051004' }, LI)
    await sleep(600)
    expect(code(await c('choose', { cardId: id, delivery: 'post', address: ADDRESS }, who))).toBe('ok')
    expect(ok(await pickUp).status).toBe('picked_up')
    cloud.faults.clear()
    expect(cardDoc('RC2027051004')).toMatchObject({ status: 'picked_up', delivery: 'pickup' })
    for (const field of ['addressProtected', 'addressMasked'])
      expect(cardDoc('RC2027051004')[field]).toBeUndefined()
    await refused(() => c('address', { stationId: STATION, cardId: id }, LI), 'CARD_STAGE_ORDER')
  })

  test('a batch whose card another batch moved on before its read-back still reports the card as its own', async () => {
    ok(await accept('RC2027051005'))
    ok(await accept('RC2027051006'))
    // A's read answers late; C moves Y meanwhile, so A's update moves X only and A reads back.
    cloud.faults.delayOn({
      fn: 'cards',
      action: 'database.getDocument',
      collection: 'idCards',
      ms: 2500,
      times: 1
    })
    const a = batch('making', ['RC2027051005', 'RC2027051006'])
    await sleep(700)
    expect(ok(await batch('making', ['RC2027051006'])).items[0]?.outcome).toBe('done')
    // A's update answers late too; meanwhile B moves X on to 已到所可领取.
    cloud.faults.delayOn({
      fn: 'cards',
      action: 'database.modifyDocument',
      collection: 'idCards',
      ms: 2500,
      times: 1
    })
    await sleep(2300)
    expect(ok(await batch('ready', ['RC2027051005'])).items[0]?.outcome).toBe('done')
    const items = ok(await a).items
    cloud.faults.clear()
    expect(items.map((i) => i.outcome)).toEqual(['done', 'already'])
  })

  test('someone else followed the card: staff clear the follower (on record), the holder then follows it', async () => {
    const STRANGER = 'r-cards-stranger'
    const HOLDER = 'r-cards-holder'
    const id = await followedCard('RC2027051007', STRANGER, 'ready', STRANGER_ADDRESS)
    expect(code(await c('follow', { receipt: 'RC2027051007', idNumber: WALKIN_ID }, HOLDER))).toBe(
      'CARD_FOLLOWED_ELSEWHERE'
    )
    // Writing the label, the officer sees the holder's name beside a different recipient.
    expect(ok(await c('address', { stationId: STATION, cardId: id }, LI))).toMatchObject({
      holderMasked: '赵**',
      recipient: '钱多多'
    })
    await refused(() => c('unfollow', { stationId: STATION, cardId: id }, STRANGER), 'FORBIDDEN')
    const before = cloud.store.docs('audit').length
    expect(ok(await c('unfollow', { stationId: STATION, cardId: id }, LI))).toMatchObject({
      status: 'ready',
      delivery: 'pickup',
      followed: false
    })
    expect(cloud.store.docs('audit').slice(before)).toEqual([
      expect.objectContaining({ action: 'cards.unfollow', recordKind: 'idCards', recordIds: [id] })
    ])
    for (const field of ['openid', 'addressProtected', 'addressMasked', 'addressLockedAt'])
      expect(cardDoc('RC2027051007')[field]).toBeUndefined()
    expect(ok(await c('mine', {}, STRANGER)).map((x) => x.receipt)).not.toContain('RC2027051007')
    expect(ok(await c('follow', { receipt: 'RC2027051007', idNumber: WALKIN_ID }, HOLDER)).cardId).toBe(id)
    // A collected card's follower stays as it was.
    ok(await c('pickUp', { stationId: STATION, receipt: 'RC2027051007' }, LI))
    await refused(() => c('unfollow', { stationId: STATION, cardId: id }, LI), 'CARD_STAGE_ORDER')
  })

  test('a card never collected: erased a year after its acceptance; old follow-attempt counts are deleted', async () => {
    // YX202701060043..45 were accepted on 2027-01-06 and never finished.
    const open = () => cardDoc('YX202701060045')
    expect(cloud.store.docs('cardFollowQuotas').length).toBeGreaterThan(0)
    at('2028-01-05T03:20:00')
    await fire()
    expect(open().purgedAt).toBeUndefined()
    at('2028-01-07T03:20:00')
    await fire()
    expect(open()).toMatchObject({ status: 'accepted', holder: { nameMasked: '（已清除）' } })
    for (const field of ['holderKey', 'openid']) expect(open()[field]).toBeUndefined()
    // Cards accepted within the year keep their holder.
    expect((cardDoc('RC2027051001').holder as { nameProtected?: string }).nameProtected).toBeDefined()
    expect(cloud.store.docs('cardFollowQuotas')).toEqual([])
  })
})
