/**
 * Two staff journeys on a station with a year of (fictional) history, as `npm start` loads it:
 * - a leader's morning: the workbench says a bad-review follow-up is overdue, one tap opens it,
 *   the call back is recorded, then last week's roster is copied to this week;
 * - a supervisor's review: the dashboard of the year (volumes against last year), one officer's
 *   ratings drilled into, then the audit log, where that read of residents' data appears once,
 *   under the supervisor's full name.
 * The cloud's clock is the real one: the dashboard reads "the last 30 days" by the phone's clock.
 */
import type { Browser } from 'playwright-core'
import { loadDemoHistory } from '../../scripts/lib/product-cloud'
import { byTestId, launch, pageAs } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(180_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  // A little over a year, so the last 30 days have the same days last year to compare with.
  const loaded = loadDemoHistory(cloud, { days: 400 })
  expect(loaded).toMatchObject({ loaded: true })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

test("a leader's morning: the overdue follow-up from the workbench, the call back, then the roster copied", async () => {
  const leader = await pageAs(browser, 'demo-leader-zhou')
  await leader.goto(`${cloud.url}/#/pages/index/index`)
  // Staff land on the resident home page with their workbench on top.
  await byTestId(leader, 'home-workbench').click()
  await byTestId(leader, 'officer-workbench').waitFor()
  const overdue = byTestId(leader, 'workbench-overdue')
  await overdue.waitFor()
  expect(await overdue.innerText()).toMatch(/已超期 [1-9]\d* 件/)

  await byTestId(leader, 'workbench-follow-ups').click()
  await byTestId(leader, 'officer-ratings').waitFor()
  const card = byTestId(leader, 'follow-up')
    .filter({ has: leader.locator('[data-testid="follow-up-overdue"]') })
    .first()
  await card.waitFor()
  // The resident's contact, to call back.
  await card.getByTestId('follow-up-contact').waitFor()
  await card.getByTestId('call-note').locator('textarea').fill('已电话联系群众，说明情况并致歉')
  await card.getByTestId('submit-call-back').click()
  // Recorded (and, called back, the follow-up leaves the overdue list).
  const calledBack = () =>
    cloud.store
      .docs('followUps')
      .filter((f) => (f as { callNote?: string }).callNote === '已电话联系群众，说明情况并致歉')
  for (let i = 0; i < 100 && calledBack().length === 0; i++) await leader.waitForTimeout(100)
  expect(calledBack()).toMatchObject([{ status: 'called' }])
  expect(await byTestId(leader, 'follow-up-error').count()).toBe(0)

  await leader.goto(`${cloud.url}/#/officer/team/index`)
  await byTestId(leader, 'week-grid').waitFor()
  await byTestId(leader, 'roster-copy').click()
  await byTestId(leader, 'copy-confirm-yes').click()
  await byTestId(leader, 'roster-message').getByText('已把上周的排班复制到本周', { exact: false }).waitFor()
  expect(leader.errors).toEqual([])
})

test("a supervisor's review: the year's dashboard, one officer's ratings, then the audit log", async () => {
  const supervisor = await pageAs(browser, 'demo-supervisor-chen')
  await supervisor.goto(`${cloud.url}/#/officer/workbench/index`)
  await byTestId(supervisor, 'workbench-dashboard').click()
  await byTestId(supervisor, 'supervisor-dashboard').waitFor()
  await byTestId(supervisor, 'dash-volume-table').waitFor()
  // The last 30 days of the demo station, against the same days a year before: both counted.
  const count = async (f: string) =>
    Number(((await byTestId(supervisor, `dash-volume-id_card-${f}`).textContent()) ?? '').trim())
  expect(await count('count')).toBeGreaterThan(100)
  expect(await count('last')).toBeGreaterThan(100)
  await byTestId(supervisor, 'dash-emergency-count').waitFor()

  // One officer drilled into: the ratings narrow to theirs.
  const before = Number((await byTestId(supervisor, 'dash-total').textContent())?.trim())
  await byTestId(supervisor, 'dash-officer-staff-officer-zhao').click()
  await byTestId(supervisor, 'dash-filter-officer').getByText('赵警官', { exact: false }).waitFor()
  await supervisor.waitForFunction((all) => {
    const t = document.querySelector('[data-testid="dash-total"]')?.textContent?.trim()
    return t !== undefined && Number(t) < all
  }, before)

  // Reading follow-ups shows residents' contacts: an audited view.
  await supervisor.goto(`${cloud.url}/#/officer/ratings/index?tab=followUps&status=all`)
  await byTestId(supervisor, 'follow-up').first().waitFor()
  await supervisor.goto(`${cloud.url}/#/supervisor/audit/index`)
  const entry = byTestId(supervisor, 'audit-entry').first()
  await entry.waitFor()
  // Staff are named in full: they are not the people the masking protects.
  await byTestId(supervisor, 'audit-who').getByText('陈督察', { exact: false }).first().waitFor()
  expect(await byTestId(supervisor, 'audit-who').first().innerText()).not.toContain('*')
  expect(supervisor.errors).toEqual([])
})
