/**
 * The on-duty officer's day queue in the H5 build: a resident has booked; the officer types the
 * booking code the resident shows, checks them in, and finishes with a note. A resident who finds
 * the page is refused in plain words. The day's counts head the page, and an open request says how
 * long it has waited, and when it is past the station's limit for accepting it.
 */
import type { Browser } from 'playwright-core'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import type { RequestsOutputs } from '../../types/requests'
import type { Result } from '../../types/result'

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

test('the queue heads the day with its counts, and an open request with how long it has waited', async () => {
  cloud.clock.set(Date.parse('2026-12-29T09:40:00+08:00'))
  const res = await callFunction<Result<RequestsOutputs['submit']>>(
    cloud,
    'requests',
    {
      action: 'submit',
      payload: {
        requestId: requestId(),
        kind: 'emergency',
        category: 'temp_id_travel',
        description: '今天下午的航班，身份证丢了',
        contactName: '赵强',
        mobile: '13812345679',
        stationId: 'st-yunxi-chengguan'
      }
    },
    'demo-resident-zhao'
  )
  const request = ok(res.body)
  cloud.clock.set(Date.parse('2026-12-29T10:05:00+08:00'))

  const page = await as('demo-officer-li')
  await page.goto(`${cloud.url}/#/officer/queue/index`)
  const open = byTestId(page, 'queue-open-request').filter({ hasText: '临时身份证' })
  // 25 minutes: within the station's 30, so not yet marked late.
  expect(await open.getByTestId('queue-request-wait').innerText()).toBe('已等待 25分钟')
  for (const status of ['booked', 'checked_in', 'done', 'no_show'])
    expect(await byTestId(page, `queue-count-${status}`).innerText()).toMatch(/^\d+\n/)
  // Past the limit it says so.
  cloud.clock.set(Date.parse('2026-12-29T10:25:00+08:00'))
  await page.reload()
  await open.getByTestId('queue-request-wait').getByText('已等待 45分钟，已超过受理时限').waitFor()
  await open.click()
  await page.waitForURL((u) => u.hash === `#/officer/requests/index?id=${request._id}`)
  expect(page.errors).toEqual([])
})
