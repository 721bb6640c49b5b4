/**
 * 制证进度 in the H5 build. A resident's ID-card booking is checked in; the officer records the
 * acceptance from it on the cards page, marks it 制证中 and then 已到所可领取 in the batch box; the
 * resident's page shows each stage and, once ready, the pickup code with the station's address and
 * hours; the officer marks it picked up from the code. A box of 50 cards is marked ready at once
 * from the officer's page, with an answer per number. The pages are looked at at 320 and 375 px,
 * normal and elder mode (nothing past the right edge), with screenshots when CARDS_SCREENSHOTS
 * names a folder.
 */
import type { Browser, Locator, Page } from 'playwright-core'
import type { CardsOutputs } from '../../types/cards'
import { idCheckCharacter } from '../../types/identity'
import type { Result } from '../../types/result'
import { appointment, ok, requestId } from '../helpers/appointments'
import { byTestId, fitsScreen, launch, phoneAs } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'

jest.setTimeout(240_000)

const STATION = 'st-yunxi-chengguan'
const RESIDENT = 'e2e-cards-resident'
const OFFICER = 'demo-officer-li'
const ID = ((first17: string) => `${first17}${idCheckCharacter(first17)}`)('42032219800512123')
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

const at = (shanghai: string) => cloud.clock.set(Date.parse(`${shanghai}+08:00`))
const cards = <A extends keyof CardsOutputs>(action: A, payload: unknown, openid = OFFICER) =>
  callFunction<Result<CardsOutputs[A]>>(cloud, 'cards', { action, payload }, openid).then((r) => ok(r.body))

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string, width = 375, elder = false) =>
  phoneAs(browser, openid, { width, elder, now: cloud.clock.now() })

async function type(locator: Locator, value: string): Promise<void> {
  await locator.locator('input, textarea').first().fill(value)
}

const looks = (page: Page, name: string, width: number, elder: boolean) =>
  fitsScreen(page, name, width, elder, 'CARDS_SCREENSHOTS')

async function batchFromPage(page: Page, stage: 'making' | 'ready', receipts: string[]) {
  await byTestId(page, 'tab-batch').click()
  await byTestId(page, `stage-${stage}`).click()
  await type(byTestId(page, 'batch-codes'), receipts.join('\n'))
  await byTestId(page, 'batch-count').getByText(`共 ${receipts.length} 个编号`).waitFor()
  await byTestId(page, 'batch-submit').click()
  await byTestId(page, 'batch-confirm').waitFor()
  await byTestId(page, 'batch-go').click()
  await byTestId(page, 'batch-results').waitFor()
}

test('a card from accepted to ready to picked up, on the officer’s and the resident’s pages', async () => {
  at('2026-12-24T10:00:00')
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-idcard-renew',
        slotId: `${STATION}_2026-12-28_1000_capture`,
        applicant: { name: '王芳', mobile: '13812345678', relation: 'self', idNumber: ID },
        consent: true
      },
      RESIDENT
    )
  )
  at('2026-12-28T10:01:00')
  ok(
    (
      await callFunction<Result<unknown>>(
        cloud,
        'staff',
        { action: 'checkIn', payload: { code: booked.code } },
        OFFICER
      )
    ).body
  )

  // The officer records the acceptance from the checked-in booking.
  at('2026-12-28T10:20:00')
  const officer = await as(OFFICER)
  await officer.goto(`${cloud.url}/#/officer/cards/index`)
  await byTestId(officer, 'tab-accept').click()
  await type(byTestId(officer, 'accept-receipt'), 'sz2026 1228 001')
  await byTestId(officer, `accept-booking-${booked.code}`).click()
  await byTestId(officer, 'accept-save').click()
  await byTestId(officer, 'accept-done').getByText('已登记 SZ20261228001').waitFor()

  // The resident sees it accepted, without having typed anything.
  const resident = await as(RESIDENT)
  await resident.goto(`${cloud.url}/#/pages/me/index`)
  await byTestId(resident, 'me-cards').click()
  const card = byTestId(resident, 'card-SZ20261228001')
  await card.getByTestId('card-status').getByText('已受理').waitFor()

  // 制证中, then the box comes back: 已到所可领取.
  await batchFromPage(officer, 'making', ['SZ20261228001'])
  await byTestId(officer, 'batch-summary').getByText('已更新 1').waitFor()
  at('2026-12-31T09:00:00')
  await batchFromPage(officer, 'ready', ['SZ20261228001'])
  await byTestId(officer, 'batch-summary').getByText('已更新 1').waitFor()

  await resident.reload()
  await card.getByTestId('card-status').getByText('已到所可领取').waitFor()
  const pickup = card.getByTestId('card-pickup')
  await pickup.getByText('证件已到所，请到窗口领取').waitFor()
  expect(await pickup.locator('img').count()).toBe(1)
  expect(await card.innerText()).toContain('周一至周五')
  await looks(resident, 'cards-ready', 375, false)

  // At the window: the code is typed (H5 has no scanner) and the card handed over.
  at('2026-12-31T10:00:00')
  await byTestId(officer, 'tab-counter').click()
  await type(byTestId(officer, 'counter-receipt'), 'SZ20261228001')
  await byTestId(officer, 'counter-pickup').click()
  await byTestId(officer, 'counter-done').getByText('SZ20261228001 已领取').waitFor()
  // A second tap is refused in words.
  await type(byTestId(officer, 'counter-receipt'), 'SZ20261228001')
  await byTestId(officer, 'counter-pickup').click()
  await byTestId(officer, 'counter-error')
    .getByText(/已领取/)
    .waitFor()

  await resident.reload()
  await card.getByTestId('card-status').getByText('已领取').waitFor()
  expect(await card.getByTestId('card-delivery').count()).toBe(0)
  await looks(resident, 'cards-picked-up', 375, false)
})

test('a box of 50 cards marked ready at once from the officer’s page', async () => {
  at('2027-01-06T09:00:00')
  const receipts = Array.from({ length: 50 }, (_, i) => `YX20270106${String(i).padStart(3, '0')}`)
  await Promise.all(
    receipts.map((receipt) =>
      cards('accept', { stationId: STATION, receipt, holder: { name: '赵丽华', idNumber: ID } })
    )
  )
  await cards('batch', { stationId: STATION, stage: 'making', receipts })

  at('2027-01-08T09:00:00')
  const officer = await as(OFFICER)
  await officer.goto(`${cloud.url}/#/officer/cards/index`)
  await batchFromPage(officer, 'ready', receipts)
  await byTestId(officer, 'batch-summary').getByText('已更新 50').waitFor()
  expect(await officer.locator('[data-testid^="result-"]:visible').count()).toBe(50)
  expect(cloud.store.docs('idCards').filter((d) => d.status === 'ready')).toHaveLength(50)
  await looks(officer, 'officer-batch-results', 375, false)

  // The station's list of cards ready for pickup shows them, holders masked.
  await byTestId(officer, 'tab-list').click()
  await byTestId(officer, 'cards-list').getByText('共 50 张', { exact: false }).waitFor()
  expect(await byTestId(officer, 'cards-list').innerText()).not.toContain('赵丽华')
})

test('post: the officer reads the address for the label, the resident’s page says it is locked; posted, the officer is told the follower got a message', async () => {
  at('2027-01-08T10:00:00')
  const who = 'e2e-cards-poster'
  const receipt = 'PS20270108001'
  await cards('accept', { stationId: STATION, receipt, holder: { name: '欧阳建国', idNumber: ID } })
  const { cardId } = await cards('follow', { receipt, idNumber: ID }, who)
  const address = {
    recipient: '欧阳建国',
    mobile: '13955554444',
    region: '湖北省十堰市郧西县',
    street: '城关镇人民路88号3栋'
  }
  await cards('choose', { cardId, delivery: 'post', address }, who)
  await cards('batch', { stationId: STATION, stage: 'making', receipts: [receipt] })
  await cards('batch', { stationId: STATION, stage: 'ready', receipts: [receipt] })

  const officer = await as(OFFICER)
  await officer.goto(`${cloud.url}/#/officer/cards/index`)
  await byTestId(officer, 'tab-list').click()
  const item = byTestId(officer, `list-card-${receipt}`)
  await item.getByTestId('show-address').click()
  await item.getByTestId('full-address-holder').getByText('持证人 欧阳**', { exact: false }).waitFor()

  const resident = await as(who)
  await resident.goto(`${cloud.url}/#/pages/cards/index`)
  await byTestId(resident, 'card-address-locked').getByText('不能再在线更改', { exact: false }).waitFor()
  expect(await byTestId(resident, 'card-delivery').count()).toBe(0)
  await looks(resident, 'cards-address-locked', 375, false)
  await looks(officer, 'officer-label-address', 375, false)

  await byTestId(officer, 'tab-counter').click()
  await type(byTestId(officer, 'counter-receipt'), receipt)
  await type(byTestId(officer, 'counter-tracking'), 'SF1234567890')
  await byTestId(officer, 'counter-post').click()
  await byTestId(officer, 'counter-done')
    .getByText('已给关注人发快递单号消息（居民允许了提醒才收到微信通知）', { exact: false })
    .waitFor()
})

describe.each([320, 375])('at %d px', (width) => {
  test.each([false, true])(
    'elder mode %s: the resident’s cards and the officer’s batch box fit',
    async (elder) => {
      // From the ID-card service of the guide.
      const resident = await as(RESIDENT, width, elder)
      await resident.goto(`${cloud.url}/#/pages/service/index?id=svc-idcard-renew`)
      await byTestId(resident, 'open-cards').scrollIntoViewIfNeeded()
      await looks(resident, 'service-cards-entry', width, elder)
      await byTestId(resident, 'open-cards').click()
      await byTestId(resident, 'card-SZ20261228001').waitFor()
      if (elder) await resident.locator('.elder:visible').first().waitFor()
      await looks(resident, 'cards', width, elder)
      // Someone with no card yet: the follow form.
      const stranger = await as(`e2e-cards-stranger-${width}-${elder}`, width, elder)
      await stranger.goto(`${cloud.url}/#/pages/cards/index`)
      await byTestId(stranger, 'cards-empty').waitFor()
      await looks(stranger, 'cards-empty', width, elder)
      // A walk-in card followed by its resident, ready: the pickup code, then the address form.
      const who = `e2e-cards-follower-${width}-${elder}`
      const receipt = `WK${width}${elder ? 1 : 0}0001`
      await cards('accept', { stationId: STATION, receipt, holder: { name: '欧阳建国', idNumber: ID } })
      await cards('follow', { receipt, idNumber: ID }, who)
      await cards('batch', { stationId: STATION, stage: 'making', receipts: [receipt] })
      await cards('batch', { stationId: STATION, stage: 'ready', receipts: [receipt] })
      const follower = await as(who, width, elder)
      await follower.goto(`${cloud.url}/#/pages/cards/index`)
      await byTestId(follower, 'card-pickup').waitFor()
      await looks(follower, 'cards-pickup-code', width, elder)
      await byTestId(follower, 'choose-post').click()
      await byTestId(follower, 'address-form').waitFor()
      await looks(follower, 'cards-address-form', width, elder)
      await type(byTestId(follower, 'input-recipient'), '欧阳建国')
      await type(byTestId(follower, 'input-mobile'), '13955554444')
      await type(byTestId(follower, 'input-region'), '湖北省十堰市郧西县')
      await type(byTestId(follower, 'input-street'), '城关镇人民路88号3栋')
      await byTestId(follower, 'save-address').click()
      // Saving asks for the message of the card's progress (allowed here).
      await byTestId(follower, 'subscribe-sheet').getByTestId('subscribe-allow').click()
      await byTestId(follower, 'card-address')
        .getByText('欧阳** 139****4444 湖北省十堰市郧西县城关镇人', { exact: false })
        .waitFor()
      expect(await follower.locator('body').innerText()).not.toContain('13955554444')
      await looks(follower, 'cards-post-chosen', width, elder)
      const officer = await as(OFFICER, width, elder)
      await officer.goto(`${cloud.url}/#/officer/cards/index`)
      await byTestId(officer, 'batch-box').waitFor()
      await looks(officer, 'officer-batch', width, elder)
      await byTestId(officer, 'tab-list').click()
      await byTestId(officer, 'cards-list').waitFor()
      await looks(officer, 'officer-list', width, elder)
    }
  )
})
