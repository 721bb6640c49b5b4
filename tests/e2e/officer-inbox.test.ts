/**
 * The officer's alerts inbox in Chromium on the H5 build: a resident submits an emergency; the
 * on-duty officer has not allowed WeChat alerts, so WeChat refuses it — the inbox still shows it,
 * saying it was not delivered, and opens the request; the officer taps 续订提醒, allows on the
 * consent sheet, and the panel shows the alert template as allowed.
 */
import type { Browser } from 'playwright-core'
import type { Result } from '../../types/result'
import { requestId } from '../helpers/appointments'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import { onDutyAllDay } from '../helpers/roster'

jest.setTimeout(90_000)

const STATION = 'st-yunxi-chengguan'
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
  // The demo officer is on duty around the clock.
  onDutyAllDay(cloud, STATION, ['staff-officer-li'])
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string) => pageAs(browser, openid)

test('an emergency reaches the officer’s inbox though WeChat refused it; renewing updates the count', async () => {
  const submitted = await callFunction<Result<{ _id: string }>>(
    cloud,
    'requests',
    {
      action: 'submit',
      payload: {
        requestId: requestId(),
        kind: 'emergency',
        category: 'death_cremation',
        description: '家中老人今天去世，明早火化需要死亡证明',
        contactName: '王芳',
        mobile: '13812345678',
        stationId: STATION
      }
    },
    'demo-resident-wang'
  )
  expect(submitted.body.ok).toBe(true)

  const officer = await as('demo-officer-li')
  await officer.goto(`${cloud.url}/#/officer/inbox/index`)
  const alert = byTestId(officer, 'officer-alert').filter({ hasText: '新的服务申请提醒' })
  await alert.first().waitFor()
  await alert.first().getByText('绿色通道').waitFor()
  await alert.first().getByText('微信未送达').waitFor()
  await byTestId(officer, 'grant-left-officerAlert').getByText('未开启', { exact: false }).waitFor()

  await byTestId(officer, 'renew-subscribe').click()
  const sheet = byTestId(officer, 'subscribe-sheet')
  await sheet.waitFor()
  await sheet.getByTestId('subscribe-allow').click()
  await byTestId(officer, 'renew-message').getByText('已续订提醒').waitFor()
  await byTestId(officer, 'grant-left-officerAlert').getByText('长期有效', { exact: false }).waitFor()
  // Both staff alerts (service requests, bad-review follow-ups) are long-term: asked for together.
  expect(
    cloud.store
      .docs('grantCounts')
      .map((d) => [d._id, d.longTerm])
      .sort()
  ).toEqual([
    ['demo-officer-li_followUpAlert', true],
    ['demo-officer-li_officerAlert', true]
  ])

  // The alert opens the request.
  await alert.first().click()
  await byTestId(officer, 'officer-request').first().getByText('死亡登记', { exact: false }).waitFor()
  expect(officer.errors).toEqual([])
})
