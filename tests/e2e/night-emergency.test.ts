/**
 * Sunday 22:00, nobody has allowed WeChat alerts: a resident asks the green channel for a death
 * registration. The page says the alerts are on their way (never "received") with the duty phone;
 * the text message to the night officer goes out (here after a passing failure, on the timer's
 * retry a minute later) and the page turns to "值班民警已收到提醒" by itself. The officer's phone
 * (the local cloud's /inbox) shows the text, whose link opens the request in the app.
 * Also: the page at 320 and 375 px, normal and elder mode, stays inside the screen.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser } from 'playwright-core'
import { demoRosterDays } from '../../database/seed/roster'
import { launch, pageAs, phonePage, byTestId } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import { askForDeathRegistration } from '../helpers/help-form'
import { TEST_DATA } from '../helpers/paths'

jest.setTimeout(90_000)

const SUNDAY_NIGHT = Date.parse('2026-12-06T14:00:00Z') // 22:00 in Shanghai
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser
const SHOTS = path.join(TEST_DATA, 'screenshots')

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(SUNDAY_NIGHT)
  // The demo's on-call rota, as npm start tops it up: 赵警官 on nights.
  cloud.store.commit(
    demoRosterDays('2026-12-05', 3).map((d) => ({ coll: 'rosters', id: d._id, doc: { ...d } }))
  )
  browser = await launch()
  fs.mkdirSync(SHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

test('no WeChat grant anywhere: the page says "trying" with the duty phone, then "reached" once the text has gone out', async () => {
  // A passing failure of both channels at the moment of the submit: the timer retries them.
  cloud.faults.failSends({ fn: 'requests', times: 1 })
  cloud.faults.failSends({ fn: 'requests', times: 1, api: 'cloudbase.sendSmsV2' })

  const resident = await pageAs(browser, 'demo-resident-wang')
  const sheet = await askForDeathRegistration(resident, cloud.url, '父亲今晚去世，明早火化需要死亡证明')
  await sheet.getByTestId('subscribe-cancel').click() // the resident allows no message either

  const reach = byTestId(resident, 'request-reach').first()
  await reach.waitFor()
  expect(await reach.getAttribute('data-reach')).toBe('trying')
  await byTestId(resident, 'submitted-notice').getByText('正在通知值班民警').waitFor()
  expect(await byTestId(resident, 'submitted-notice').innerText()).not.toContain('已收到')
  await byTestId(resident, 'duty-phone').getByText('0123-6613110').waitFor()

  // A minute later the notify timer retries: WeChat refuses (no grant), the text goes out.
  cloud.clock.advance(65_000)
  expect((await cloud.timers.fire('notify')).ok).toBe(true)
  expect(cloud.store.docs('outbox').find((o) => o.template === 'officerAlert')).toMatchObject({
    status: 'failed',
    smsStatus: 'sent'
  })
  // The page checks again by itself every few seconds.
  await resident
    .locator('[data-testid="request-reach"][data-reach="reached"]:visible')
    .waitFor({ timeout: 15_000 })
  await byTestId(resident, 'submitted-notice').getByText('值班民警已收到提醒').waitFor()

  // The night officer's phone: the text, with a link that opens the request in the app.
  const phone = await phonePage(browser)
  await phone.goto(`${cloud.url}/inbox`)
  const text = phone.getByTestId('inbox-sms').filter({ hasText: '绿色通道：死亡登记' }).first()
  await text.waitFor()
  expect(await text.innerText()).toContain('139****0103')
  const [request] = cloud.store.docs('requests')
  expect(await text.getByTestId('sms-link').getAttribute('href')).toBe(
    `/#/officer/requests/index?id=${request?._id}`
  )
  const officer = await pageAs(browser, 'demo-officer-zhao')
  await officer.goto(`${cloud.url}/#/officer/requests/index?id=${request?._id}`)
  await byTestId(officer, 'officer-request').filter({ hasText: '死亡登记' }).waitFor()

  expect([...resident.errors, ...phone.errors, ...officer.errors]).toEqual([])
})

test('a third request while two are open: refused in words the resident understands, with the duty phone one tap away', async () => {
  const resident = 'demo-resident-zhao'
  for (let i = 0; i < 2; i++) {
    const res = await callFunction<{ ok: boolean }>(
      cloud,
      'requests',
      {
        action: 'submit',
        payload: {
          requestId: `e2e-limit-${i}-${Date.now()}`,
          kind: 'emergency',
          category: 'temp_id_medical',
          description: '急需就医，身份证丢了',
          contactName: '赵先生',
          mobile: '13912345678',
          stationId: 'st-yunxi-chengguan'
        }
      },
      resident
    )
    expect(res.body.ok).toBe(true)
  }
  const page = await pageAs(browser, resident)
  const before = cloud.store.docs('requests').length
  const sheet = await askForDeathRegistration(page, cloud.url, '又一件急事')
  await sheet.getByTestId('subscribe-cancel').click()
  await byTestId(page, 'form-problem').getByText('0123-6613110', { exact: false }).waitFor()
  expect(await byTestId(page, 'form-problem').innerText()).toContain('2条申请正在处理')
  await byTestId(page, 'over-limit-call').getByText('拨打值班电话').waitFor()
  await byTestId(page, 'over-limit-mine').click()
  await byTestId(page, 'my-requests').waitFor()
  expect(cloud.store.docs('requests')).toHaveLength(before)
  expect(page.errors).toEqual([])
})

test.each([
  [320, false],
  [375, false],
  [320, true],
  [375, true]
])('my requests at %i px (elder mode: %s) stays inside the screen', async (width, elder) => {
  const page = await pageAs(browser, 'demo-resident-wang')
  await page.setViewportSize({ width, height: 760 })
  await page.goto(`${cloud.url}/#/pages/my-requests/index`)
  await byTestId(page, 'request-item').first().waitFor()
  if (elder) {
    await byTestId(page, 'elder-switch').click()
    await page.locator('.elder').waitFor()
  }
  const overflow = await page.evaluate(() => {
    const right = document.documentElement.clientWidth
    const beyond = [
      ...document.querySelectorAll(
        '[data-testid="request-reach"], [data-testid="duty-phone"], [data-testid="request-item"]'
      )
    ].filter((e) => e.getBoundingClientRect().right > right + 0.5)
    return { scroll: document.documentElement.scrollWidth - right, beyond: beyond.length }
  })
  expect(overflow).toEqual({ scroll: 0, beyond: 0 })
  if (elder) {
    const size = await byTestId(page, 'duty-phone')
      .first()
      .evaluate((e) => parseFloat(getComputedStyle(e).fontSize))
    expect(size).toBeGreaterThanOrEqual(18)
  }
  await page.screenshot({
    path: path.join(SHOTS, `my-requests-${width}${elder ? '-elder' : ''}.png`),
    fullPage: true
  })
  expect(page.errors).toEqual([])
})
