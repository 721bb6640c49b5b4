/**
 * 工作台 in the H5 build. An officer opens the app: the home page has the 工作台 card on top with the
 * emergency waiting; the workbench counts it with its wait, which moves on while the page shows;
 * one tap opens the requests, where the card says how long it has waited and by when to take it.
 * The accept form is labelled and shows no time as chosen before one is; once done, the request
 * is in 今天已处理 with its outcome. A leader sees their extra rows; a resident sees no card and is
 * refused the page. The workbench and the requests page fit at 320 and 375 px, normal and elder.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { ok, requestId } from '../helpers/appointments'
import { byTestId, launch, pageAs } from '../helpers/browser'
import { callFunction, freshCloud } from '../helpers/cloud'
import { TEST_DATA } from '../helpers/paths'
import type { RequestsOutputs } from '../../types/requests'
import type { Result } from '../../types/result'

jest.setTimeout(90_000)

const STATION = 'st-yunxi-chengguan'
const SUBMITTED = Date.parse('2026-12-01T09:48:00+08:00') // a Tuesday morning
const NOW = Date.parse('2026-12-01T10:00:00+08:00')
const SHOTS = path.join(TEST_DATA, 'screenshots')

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser
let emergencyId: string

async function submitEmergency(openid: string, description: string): Promise<string> {
  const res = await callFunction<Result<RequestsOutputs['submit']>>(
    cloud,
    'requests',
    {
      action: 'submit',
      payload: {
        requestId: requestId(),
        kind: 'emergency',
        category: 'death_cremation',
        description,
        contactName: '王芳',
        mobile: '13812345678',
        stationId: STATION
      }
    },
    openid
  )
  return ok(res.body)._id
}

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  cloud.clock.set(SUBMITTED)
  emergencyId = await submitEmergency('demo-resident-wang', '家中老人今天去世，明早火化需要死亡证明')
  cloud.clock.set(NOW)
  browser = await launch()
  fs.mkdirSync(SHOTS, { recursive: true })
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const count = (page: Page, row: string) => byTestId(page, `workbench-${row}-count`).innerText()

test('an officer: home card → workbench with the wait ticking → accept with a labelled form → today’s history', async () => {
  const page = await pageAs(browser, 'demo-officer-li')
  await page.clock.install()
  await page.goto(`${cloud.url}/#/pages/index/index`)
  const card = byTestId(page, 'home-workbench')
  await card.getByText('急事待受理 1', { exact: false }).waitFor()
  expect(await card.innerText()).toContain('李警官')
  await card.click()

  await page.waitForURL((u) => u.hash === '#/officer/workbench/index')
  await byTestId(page, 'workbench-emergencies').waitFor()
  expect(await count(page, 'emergencies')).toBe('1')
  const wait = byTestId(page, 'workbench-emergency-wait')
  expect(await wait.innerText()).toBe('最久的已等 12分钟')
  // Waits move on while the page shows (every 30 s), from the server's time of the read.
  cloud.clock.advance(61_000)
  await page.clock.fastForward(61_000)
  await wait.getByText('最久的已等 13分钟').waitFor()
  // An officer has no follow-up or feedback rows; the day's queue and questions are there.
  expect(await byTestId(page, 'workbench-follow-ups').count()).toBe(0)
  expect(await byTestId(page, 'workbench-feedback').count()).toBe(0)
  expect(await count(page, 'queue')).toMatch(/^\d+$/)
  expect(await count(page, 'questions')).toMatch(/^\d+$/)

  await byTestId(page, 'workbench-emergencies').click()
  await page.waitForURL((u) => u.hash === '#/officer/requests/index')
  const request = byTestId(page, 'officer-request').filter({ hasText: '死亡登记' })
  const timing = request.getByTestId('officer-request-wait')
  await timing.getByText('已等待 13分钟', { exact: false }).waitFor()
  // Sent at 09:48; the station's 30 minutes make 10:18 the limit.
  expect(await timing.innerText()).toContain('请在12月1日（周二）10:18前受理')

  await request.getByTestId('action-accept').click()
  const form = request.getByTestId('accept-form')
  await form.getByText('约定办理时间').waitFor()
  await form.getByText('办理地点').waitFor()
  // Nothing is shown as chosen before a time is picked.
  expect(await form.locator('.chip-on').count()).toBe(0)
  expect(await form.getByTestId('chosen-time').innerText()).toBe('还没有选择时间')
  await form.getByTestId('action-confirm').click()
  await request.getByTestId('officer-problem').getByText('请选择约定时间').waitFor()
  await form.getByTestId('time-1h').click()
  expect(await form.getByTestId('chosen-time').innerText()).toMatch(/^已选：2026-12-01 11:\d0（周二）$/)
  await form.getByTestId('action-confirm').click()
  await request.getByTestId('officer-request-status').getByText('已受理').waitFor()
  expect(cloud.store.get('requests', emergencyId)).toMatchObject({
    status: 'accepted',
    place: '城关派出所户政窗口'
  })

  await request.getByTestId('action-done').click()
  await request.getByTestId('input-note').locator('input').fill('死亡证明已开具')
  await request.getByTestId('action-confirm').click()
  await byTestId(page, 'no-open-requests').waitFor()
  await byTestId(page, 'requests-tab-today').click()
  const handled = byTestId(page, 'handled-request').filter({ hasText: '死亡登记' })
  await handled.getByTestId('handled-outcome').getByText('死亡证明已开具', { exact: false }).waitFor()
  await handled.getByText('受理用时', { exact: false }).waitFor()
  expect(await handled.getByTestId('handled-status').innerText()).toBe('已办结')
  await byTestId(page, 'requests-tab-week').click()
  await byTestId(page, 'handled-request').filter({ hasText: '死亡登记' }).waitFor()
  expect(page.errors).toEqual([])
})

test('a leader sees the follow-up and feedback rows and the links to their pages', async () => {
  const page = await pageAs(browser, 'demo-leader-zhou')
  await page.goto(`${cloud.url}/#/officer/workbench/index`)
  await byTestId(page, 'workbench-follow-ups').waitFor()
  await byTestId(page, 'workbench-feedback').waitFor()
  for (const link of ['team', 'ratings', 'dashboard', 'audit', 'calendar'])
    await byTestId(page, `workbench-${link}`).waitFor()
  await byTestId(page, 'workbench-queue').click()
  await page.waitForURL((u) => u.hash === '#/officer/queue/index')
  expect(page.errors).toEqual([])
})

test('a resident sees no workbench card on the home page and is refused the page', async () => {
  const page = await pageAs(browser, 'demo-resident-wang')
  await page.goto(`${cloud.url}/#/pages/index/index`)
  await byTestId(page, 'home').waitFor()
  await byTestId(page, 'station-card').waitFor()
  expect(await byTestId(page, 'home-workbench').count()).toBe(0)
  await page.goto(`${cloud.url}/#/officer/workbench/index`)
  await page.getByRole('alert').getByText('您没有权限', { exact: false }).waitFor()
})

describe.each([320, 375])('at %i px wide', (width) => {
  test.each([false, true])('elder mode %s: the workbench and the requests page fit', async (elder) => {
    // A request waiting, so the requests page has a card and its accept form to show.
    cloud.clock.set(NOW - 5 * 60_000)
    await submitEmergency(`e2e-wb-${width}-${elder}`, '父亲今晨去世，火化需要死亡证明')
    cloud.clock.set(NOW)
    const page = await pageAs(browser, 'demo-leader-zhou')
    await page.addInitScript(
      (on) => window.localStorage.setItem('hukou.elderMode', JSON.stringify({ data: on ? 'on' : 'off' })),
      elder
    )
    await page.setViewportSize({ width, height: 720 })
    const name = `${width}-${elder ? 'elder' : 'normal'}`
    const fits = async () => {
      const past = await page.evaluate((w) => {
        const shown = [...document.querySelectorAll('.taro_page:not([style*="display: none"]) *')]
        return shown
          .filter((el) => {
            const r = el.getBoundingClientRect()
            return r.width > 0 && r.right > w + 1
          })
          .map((el) => `${el.tagName}.${el.className}`)
          .slice(0, 5)
      }, width)
      expect(past).toEqual([])
    }

    await page.goto(`${cloud.url}/#/officer/workbench/index`)
    await byTestId(page, 'workbench-feedback').waitFor()
    if (elder) await page.locator('.elder').first().waitFor()
    await fits()
    await page.screenshot({ path: `${SHOTS}/workbench-${name}.png`, fullPage: true })

    await page.goto(`${cloud.url}/#/officer/requests/index`)
    const request = byTestId(page, 'officer-request').first()
    await request.getByTestId('action-accept').click()
    await request.getByTestId('accept-form').waitFor()
    await fits()
    await page.screenshot({ path: `${SHOTS}/requests-${name}.png`, fullPage: true })

    await page.goto(`${cloud.url}/#/officer/queue/index`)
    await byTestId(page, 'queue-summary').waitFor()
    await fits()
    await page.screenshot({ path: `${SHOTS}/queue-${name}.png`, fullPage: true })
  })
})
