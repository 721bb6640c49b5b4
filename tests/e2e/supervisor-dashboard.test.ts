/**
 * The demo supervisor opens the dashboard on a station with finished cases this month and the
 * same days last year, and reads it: the weekly trend, volumes by business type against last
 * year, the row of each officer (tapping one filters the ratings), emergency accept times, the
 * queue numbers' waits per line and day. The
 * page fits 320 and 375 px, in normal and elder mode (DASH_SCREENSHOTS=<folder> keeps shots).
 */
import type { Browser, Page } from 'playwright-core'
import { addDays, localDate } from '../../types/time'
import { byTestId, launch, pageAs } from '../helpers/browser'
import { freshCloud } from '../helpers/cloud'

jest.setTimeout(90_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

const STATION = 'st-yunxi-chengguan'
const LI = { staffId: 'staff-officer-li', name: '李警官' }
const ZHAO = { staffId: 'staff-officer-zhao', name: '赵警官' }
// The page asks for the last 30 days by the phone's clock: the cases lie a few days back.
const today = localDate(Date.now())
const recent = addDays(today, -3)
const earlier = addDays(today, -10)
const lastYear = (date: string) =>
  `${Number(date.slice(0, 4)) - 1}${date.slice(4) === '-02-29' ? '-02-28' : date.slice(4)}`
const at = (date: string, time: string) => new Date(`${date}T${time}:00+08:00`)

let n = 0
function done(serviceId: string, officer: { staffId: string }, date: string, minutes: number) {
  const finishedAt = at(date, '10:00')
  const id = `a-e2e-dash-${n++}`
  return {
    coll: 'appointments',
    id,
    doc: {
      _id: id,
      openid: `r-e2e-dash-${n}`,
      stationId: STATION,
      serviceId,
      status: 'done',
      code: `E${String(n).padStart(5, '0')}`,
      dayKey: `done|${id}`,
      requestId: `req-${id}`,
      date,
      startedAt: new Date(finishedAt.getTime() - minutes * 60_000),
      startedBy: officer.staffId,
      finishedAt,
      finishedBy: officer.staffId,
      createdAt: new Date(finishedAt.getTime() - 86_400_000),
      updatedAt: finishedAt
    }
  }
}

function emergency(date: string, wait: number) {
  const createdAt = at(date, '09:00')
  const acceptedAt = new Date(createdAt.getTime() + wait * 60_000)
  const id = `q-e2e-dash-${n++}`
  return {
    coll: 'requests',
    id,
    doc: {
      _id: id,
      openid: `r-e2e-dash-${n}`,
      stationId: STATION,
      kind: 'emergency',
      category: 'temp_id_travel',
      status: 'accepted',
      createdAt,
      updatedAt: acceptedAt,
      acceptedBy: LI,
      acceptedAt
    }
  }
}

/** A queue number as the queue function leaves it: taken at 9:00, called `wait` minutes later. */
function ticket(line: string, seq: number, date: string, status: string, wait: number) {
  const takenAt = at(date, '09:00')
  const calledAt = new Date(takenAt.getTime() + wait * 60_000)
  const id = `${STATION}_${date.replace(/-/g, '')}_${line}_${seq}`
  return {
    coll: 'queueTickets',
    id,
    doc: {
      _id: id,
      stationId: STATION,
      date,
      line,
      seq,
      number: `${line}00${seq}`,
      kind: 'walk_in',
      status,
      openid: `r-e2e-dash-q${n++}`,
      calls: status === 'no_show' ? 3 : 1,
      takenAt,
      calledAt,
      ...(status === 'done' ? { finishedAt: new Date(calledAt.getTime() + 600_000) } : {}),
      updatedAt: calledAt
    }
  }
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
  cloud.store.commit([
    done('svc-idcard-renew', LI, recent, 10),
    done('svc-idcard-renew', LI, recent, 10),
    done('svc-idcard-replace', LI, recent, 10),
    done('svc-consult-policy', LI, recent, 5),
    done('svc-cert-hukou', ZHAO, earlier, 20),
    done('svc-cert-hukou', ZHAO, earlier, 20),
    done('svc-idcard-renew', LI, lastYear(recent), 10),
    ...[0, 1, 2, 3].map(() => done('svc-cert-hukou', ZHAO, lastYear(earlier), 10)),
    emergency(earlier, 6),
    emergency(recent, 20),
    ticket('A', 1, recent, 'done', 10),
    ticket('A', 2, recent, 'done', 20),
    ticket('B', 1, recent, 'no_show', 30),
    {
      coll: 'ratings',
      id: 'rt-e2e-dash',
      doc: {
        _id: 'rt-e2e-dash',
        caseKind: 'appointment',
        caseId: 'a-e2e-dash-0',
        stationId: STATION,
        officerStaffId: LI.staffId,
        officerName: LI.name,
        serviceName: '居民身份证换领',
        level: 'very_satisfied',
        ratedDate: recent,
        ratedAt: at(recent, '16:00'),
        excluded: false
      }
    }
  ])
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const text = async (page: Page, id: string) => ((await byTestId(page, id).first().textContent()) ?? '').trim()

test('the supervisor reads the month: trend, volumes against last year, officers, accept times', async () => {
  const page = await pageAs(browser, 'demo-supervisor-chen')
  await page.goto(`${cloud.url}/#/supervisor/dashboard/index`)
  await byTestId(page, 'dash-volume-table').waitFor()

  // Volumes by business type: this period, the same days last year, the change.
  const row = async (type: string) =>
    Promise.all(['count', 'last', 'change'].map((f) => text(page, `dash-volume-${type}-${f}`)))
  expect(await row('id_card')).toEqual(['3', '1', '↑200%'])
  expect(await row('certificate')).toEqual(['2', '4', '↓50%'])
  expect(await row('consultation')).toEqual(['1', '0', '—'])
  expect(await row('registration')).toEqual(['0', '0', '—'])
  expect(await text(page, 'dash-volume-total')).toBe('6')
  expect(await text(page, 'dash-volume-last-total')).toBe('5')
  expect(await text(page, 'dash-volume-change')).toBe('↑20%')

  // The trend: a bar per week, the cases of the period all in it.
  const bars = byTestId(page, 'dash-trend-bar')
  expect(await byTestId(page, 'dash-trend').getAttribute('data-unit')).toBe('week')
  const weeks = await bars.evaluateAll((els) =>
    els.map((e) => ({
      start: e.getAttribute('data-start') ?? '',
      end: e.getAttribute('data-end') ?? '',
      finished: Number(e.getAttribute('data-finished')),
      text: e.textContent ?? ''
    }))
  )
  expect(weeks.length).toBeGreaterThanOrEqual(5)
  expect(weeks.reduce((s, w) => s + w.finished, 0)).toBe(6)
  // Ten days back and three days back fall in different weeks: 2 cases, then 4 (one rated).
  const weekOf = (date: string) => weeks.find((w) => w.start <= date && date <= w.end)
  expect(weekOf(earlier)).toMatchObject({ finished: 2 })
  expect(weekOf(recent)).toMatchObject({ finished: 4 })
  expect(weekOf(recent)?.text).toContain('4件')
  expect(weekOf(recent)?.text).toContain('评价1条，满意率100%')
  expect(weekOf(earlier)?.text).not.toContain('满意率')

  // Officers: cases, average handling time, ratings, bad reviews.
  const officer = (id: string) => byTestId(page, 'dash-officer').and(page.locator(`[data-id="${id}"]`))
  const cells = async (id: string) =>
    Promise.all(
      ['finished', 'handling', 'score', 'bad'].map(async (f) =>
        ((await officer(id).getByTestId(`dash-officer-${f}`).textContent()) ?? '').trim()
      )
    )
  expect(await cells(LI.staffId)).toEqual(['4', '9分钟', '5.00', '0'])
  expect(await cells(ZHAO.staffId)).toEqual(['2', '20分钟', '—', '0'])

  // Emergencies accepted after 6 and 20 minutes.
  expect(await text(page, 'dash-emergency-count')).toBe('2')
  expect(await text(page, 'dash-emergency-median')).toBe('13分钟')
  expect(await text(page, 'dash-emergency-max')).toBe('20分钟')

  // 取号等候: line A's two numbers waited 10 and 20 minutes; B's only number was skipped.
  const line = (key: string) => byTestId(page, 'dash-queue-line').and(page.locator(`[data-line="${key}"]`))
  const queueCells = async (key: string) =>
    Promise.all(
      ['taken', 'served', 'no-shows', 'average', 'median'].map(async (f) =>
        ((await line(key).getByTestId(`dash-queue-${f}`).textContent()) ?? '').trim()
      )
    )
  expect(await queueCells('A')).toEqual(['2', '2', '0', '15分钟', '15分钟'])
  expect(await queueCells('B')).toEqual(['1', '0', '1', '—', '—'])
  expect(await line('A').textContent()).toContain('A 身份证')
  const day = byTestId(page, 'dash-queue-day')
  expect(await day.count()).toBe(1)
  expect(await day.getAttribute('data-date')).toBe(recent)
  expect(await day.textContent()).toContain('15分钟 · 3个号')

  // Tapping an officer filters the ratings to theirs.
  await byTestId(page, `dash-officer-${ZHAO.staffId}`).click()
  await byTestId(page, 'dash-filter-officer').getByText('赵警官', { exact: false }).waitFor()
  await byTestId(page, 'dash-total').getByText('0', { exact: true }).waitFor()
  await byTestId(page, 'dash-filter-officer').click()
  await byTestId(page, 'dash-total').getByText('1', { exact: true }).waitFor()
  expect(page.errors).toEqual([])
})

describe.each([320, 375])('at %i px wide', (width) => {
  test.each([false, true])('elder mode %s: the dashboard fits the screen', async (elder) => {
    const page = await pageAs(browser, 'demo-supervisor-chen')
    await page.addInitScript(
      (on) => window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: on ? 'on' : 'off' })),
      elder
    )
    await page.setViewportSize({ width, height: 720 })
    await page.goto(`${cloud.url}/#/supervisor/dashboard/index`)
    await byTestId(page, 'dash-officers').waitFor()
    if (elder) await page.locator('.elder').first().waitFor()
    const past = await page.evaluate((w) => {
      const shown = [...document.querySelectorAll('.taro_page:not([style*="display: none"]) *')]
      return shown
        .filter((el) => {
          const r = el.getBoundingClientRect()
          return r.width > 0 && r.right > w + 1
        })
        .map((el) => `${el.tagName}.${el.className} → ${Math.round(el.getBoundingClientRect().right)}`)
        .slice(0, 5)
    }, width)
    expect(past).toEqual([])
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width)
    const shots = process.env.DASH_SCREENSHOTS
    if (shots) {
      const name = `${shots}/dashboard-${width}-${elder ? 'elder' : 'normal'}`
      for (const [i, id] of [
        'dash-headline',
        'dash-trend',
        'dash-volume-table',
        'dash-officers',
        'dash-queue',
        'dash-emergency'
      ].entries()) {
        await byTestId(page, id).first().scrollIntoViewIfNeeded()
        await page.screenshot({ path: `${name}-${i}.png` })
      }
    }
    expect(page.errors).toEqual([])
  })
})
