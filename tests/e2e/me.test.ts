/**
 * 我的 in the H5 build: the resident's saved applicants (常用办事人), one removed with a tap and
 * gone from the cloud too; the way to each of their records; elder mode enlarging the page; no
 * workbench entry for a resident.
 */
import type { Browser } from 'playwright-core'
import { appointment, ok } from '../helpers/appointments'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(120_000)

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

test('a resident sees their common applicants, masked, and removes one', async () => {
  const resident = 'demo-resident-wang'
  const father = ok(
    await appointment(
      cloud,
      'saveApplicant',
      {
        applicant: {
          name: '王建国',
          mobile: '13912345678',
          relation: 'parent',
          idNumber: '11010519491231002X'
        },
        consent: true
      },
      resident
    )
  )
  ok(
    await appointment(
      cloud,
      'saveApplicant',
      { applicant: { name: '王小明', mobile: '13712345678', relation: 'child' }, consent: true },
      resident
    )
  )

  const page = await pageAs(browser, resident)
  await page.goto(`${cloud.url}/#/pages/me/index`)
  const rows = byTestId(page, 'applicant')
  await rows.filter({ hasText: '王小明' }).waitFor()
  const fatherRow = rows.filter({ hasText: '王建国' })
  await fatherRow.getByText('父母', { exact: false }).waitFor()
  // The ID number is shown masked, never in full.
  await fatherRow.getByText(father.idMasked!, { exact: false }).waitFor()
  expect(await page.getByText('11010519491231002X').count()).toBe(0)

  await fatherRow.getByTestId('applicant-remove').click()
  await fatherRow.waitFor({ state: 'detached' })
  await rows.filter({ hasText: '王小明' }).waitFor()
  expect(ok(await appointment(cloud, 'applicants', {}, resident)).map((a) => a.name)).toEqual(['王小明'])

  // A resident has no workbench entry; their records are one tap away.
  expect(await byTestId(page, 'me-workbench').count()).toBe(0)
  await byTestId(page, 'me-messages').click()
  await page.waitForURL((u) => u.hash === '#/pages/messages/index')
})

test('an officer finds the workbench in 我的', async () => {
  const page = await pageAs(browser, 'demo-officer-li')
  await page.goto(`${cloud.url}/#/pages/me/index`)
  await byTestId(page, 'me-workbench').click()
  await page.waitForURL((u) => u.hash === '#/officer/workbench/index')
})

test('elder mode enlarges 我的', async () => {
  const page = await pageAs(browser, 'demo-resident-wang')
  await page.goto(`${cloud.url}/#/pages/me/index`)
  const size = () => byTestId(page, 'me-bookings').evaluate((el) => parseFloat(getComputedStyle(el).fontSize))
  const before = await size()
  await byTestId(page, 'elder-switch').click()
  await byTestId(page, 'me-page').and(page.locator('.elder')).waitFor()
  const after = await size()
  expect(after).toBeGreaterThanOrEqual(18)
  expect(after).toBeGreaterThan(before * 1.3)
})
