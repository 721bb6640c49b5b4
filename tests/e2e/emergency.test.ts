/**
 * The emergency green channel in Chromium on the H5 build: a resident asks for help (death
 * registration for a cremation) and allows the progress message; the on-duty officer's phone
 * (the local cloud's /inbox) shows the alert at once; the officer opens the app's requests page,
 * accepts with a time and place; the resident sees the agreed time on "my requests".
 */
import type { Browser } from 'playwright-core'
import { localDateTime } from '../../types/time'
import { launch, phonePage, pageAs, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'
import { askForDeathRegistration } from '../helpers/help-form'
import { onDutyAllDay } from '../helpers/roster'
import { allowTemplates } from '../helpers/subscriptions'

jest.setTimeout(90_000)

const STATION = 'st-yunxi-chengguan'
let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
  // The demo officer is on duty around the clock.
  onDutyAllDay(cloud, STATION, ['staff-officer-li'])
  // The officer allowed the long-term alert template once, on an earlier tap.
  await allowTemplates(cloud, 'demo-officer-li', ['officerAlert'])
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string) => pageAs(browser, openid)

test('a resident asks for the green channel; the on-duty officer is alerted and accepts; the resident sees the agreed time', async () => {
  // The resident, from the home page's entry.
  const resident = await as('demo-resident-wang')
  const sheet = await askForDeathRegistration(resident, cloud.url, '家中老人今天去世，明早火化需要死亡证明')
  await sheet.getByTestId('subscribe-allow').click()
  await byTestId(resident, 'submitted-notice').waitFor()
  await byTestId(resident, 'request-status').first().getByText('等待受理').waitFor()

  const [request] = cloud.store.docs('requests')
  expect(request).toMatchObject({
    kind: 'emergency',
    category: 'death_cremation',
    status: 'submitted',
    openid: 'demo-resident-wang'
  })

  // The officer's phone shows the alert (sent by the submit itself, no timer involved).
  const phone = await phonePage(browser)
  await phone.goto(`${cloud.url}/inbox?openid=demo-officer-li`)
  const alert = phone.getByTestId('inbox-message').filter({ hasText: '新的服务申请提醒' })
  await alert.first().waitFor()
  await alert.first().getByText('绿色通道').waitFor()

  // The officer accepts in the app with a time and place.
  const officer = await as('demo-officer-li')
  await officer.goto(`${cloud.url}/#/officer/requests/index`)
  const card = byTestId(officer, 'officer-request').filter({ hasText: '死亡登记' })
  await card.waitFor()
  await card.getByTestId('action-accept').click()
  await card.getByTestId('time-1h').click()
  const chosen = await card.getByTestId('chosen-time').innerText()
  await card.getByTestId('action-confirm').click()
  await card.getByTestId('officer-request-status').getByText('已受理').waitFor()
  const accepted = cloud.store.get('requests', String(request?._id))
  expect(accepted).toMatchObject({ status: 'accepted', place: '城关派出所户政窗口' })
  const agreed = localDateTime(accepted?.agreedAt as Date | string)
  expect(chosen).toContain(agreed)

  // The resident sees the agreed time and place.
  await byTestId(resident, 'refresh').click()
  const shown = byTestId(resident, 'request-agreed').first()
  await shown.getByText(agreed, { exact: false }).waitFor()
  await shown.getByText('城关派出所户政窗口', { exact: false }).waitFor()
  expect(
    cloud.store
      .docs('outbox')
      .filter((m) => m.touser === 'demo-resident-wang' && m.template === 'requestProgress')
  ).toMatchObject([{ status: 'sent' }])
  expect([...resident.errors, ...officer.errors]).toEqual([])
})
