/**
 * The on-duty officer's day queue in the H5 build: a resident has booked; the officer types the
 * booking code the resident shows, checks them in, and finishes with a note. A resident who finds
 * the page is refused in plain words.
 */
import type { Browser } from 'playwright-core'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(60_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string) => pageAs(browser, openid)

test('an officer checks a resident in by the booking code and finishes with a note', async () => {
  cloud.clock.set(Date.parse('2026-12-28T09:59:00+08:00'))
  const booked = ok(
    await appointment(
      cloud,
      'book',
      {
        requestId: requestId(),
        serviceId: 'svc-cert-hukou',
        slotId: 'st-yunxi-chengguan_2026-12-28_1430_window',
        applicant: APPLICANT,
        consent: true
      },
      'demo-resident-wang'
    )
  )
  cloud.clock.set(Date.parse('2026-12-28T14:20:00+08:00'))

  const page = await as('demo-officer-li')
  await page.goto(`${cloud.url}/#/officer/queue/index`)
  const item = byTestId(page, `queue-item-${booked.code}`)
  await item.getByText('王芳').waitFor()
  await byTestId(page, `status-${booked.code}`).getByText('已预约').waitFor()
  expect(await item.textContent()).toContain('138****5678')

  await byTestId(page, 'checkin-code')
    .locator('input')
    .fill(`${booked.code.slice(0, 3).toLowerCase()} ${booked.code.slice(3)}`)
  await byTestId(page, 'checkin-submit').click()
  await byTestId(page, 'queue-message').getByText('已签到', { exact: false }).waitFor()
  await byTestId(page, `status-${booked.code}`).getByText('已签到').waitFor()
  expect(cloud.store.get('appointments', booked._id)).toMatchObject({
    status: 'checked_in',
    checkedInBy: 'staff-officer-li'
  })

  await byTestId(page, `note-${booked.code}`).locator('input').fill('材料齐全，已受理')
  await byTestId(page, `finish-${booked.code}`).click()
  await byTestId(page, `status-${booked.code}`).getByText('已办结').waitFor()
  expect(cloud.store.get('appointments', booked._id)).toMatchObject({
    status: 'done',
    note: '材料齐全，已受理'
  })
  expect(
    cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'ratingInvite' && m.touser === 'demo-resident-wang')
  ).toHaveLength(1)
  expect(page.errors).toEqual([])
})

test('a resident who finds the page is refused in plain words', async () => {
  const page = await as('demo-resident-wang')
  await page.goto(`${cloud.url}/#/officer/queue/index`)
  await page.getByRole('alert').getByText('您没有权限', { exact: false }).waitFor()
})
