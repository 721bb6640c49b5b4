/**
 * 好差评 end to end in the H5 build: an officer finishes a resident's appointment; the resident
 * opens the invitation's page and rates it 不满意; the follow-up appears for the station's leader,
 * who records the call back and replies; the resident reads the reply and rates the
 * rectification; the supervisor's dashboard shows the rating and the closed follow-up.
 */
import type { Browser, Page } from 'playwright-core'
import { appointment, APPLICANT, ok, requestId } from '../helpers/appointments'
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

/** A page as this identity whose own clock (staff pages pick "today" from it) shows the cloud's time. */
async function as(openid: string): Promise<Page & { errors: string[] }> {
  const page = await pageAs(browser, openid)
  await page.clock.setFixedTime(new Date(cloud.clock.now()))
  return page
}

test('finish → 不满意 → the leader calls back and replies → the resident rates the rectification → the dashboard shows it', async () => {
  cloud.clock.set(Date.parse('2026-12-28T09:59:00+08:00')) // a Monday
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

  // The officer checks the resident in and finishes the case.
  cloud.clock.set(Date.parse('2026-12-28T14:25:00+08:00'))
  const officer = await as('demo-officer-li')
  await officer.goto(`${cloud.url}/#/officer/queue/index`)
  await byTestId(officer, 'checkin-code').locator('input').fill(booked.code)
  await byTestId(officer, 'checkin-submit').click()
  await byTestId(officer, `status-${booked.code}`).getByText('已签到').waitFor()
  await byTestId(officer, `finish-${booked.code}`).click()
  await byTestId(officer, `status-${booked.code}`).getByText('已办结').waitFor()
  const invite = cloud.store
    .docs('outbox')
    .find((m) => m.template === 'ratingInvite' && m.touser === 'demo-resident-wang')
  expect(invite?.page).toBe(`pages/rating/index?appointmentId=${booked._id}`)

  // The resident opens the invitation's page and gives a bad review.
  cloud.clock.set(Date.parse('2026-12-28T15:00:00+08:00'))
  const resident = await as('demo-resident-wang')
  await resident.goto(`${cloud.url}/#/${String(invite?.page)}`)
  await byTestId(resident, 'rating-case').getByText('李警官', { exact: false }).waitFor()
  await byTestId(resident, 'level-unsatisfied').click()
  await byTestId(resident, 'bad-review-hint').getByText('1个工作日', { exact: false }).waitFor()
  await byTestId(resident, 'tag-long_wait').click()
  await byTestId(resident, 'comment').locator('textarea').fill('取号后等了快一个小时，也没人说明原因')
  await byTestId(resident, 'submit-rating').click()
  await byTestId(resident, 'subscribe-allow').click() // the reply notice, asked inside the tap
  await byTestId(resident, 'rating-result').getByText('不满意').waitFor()
  await byTestId(resident, 'follow-up-status').getByText('待回访').waitFor()
  const rating = cloud.store.docs('ratings')[0]
  expect(rating).toMatchObject({
    levelText: '不满意',
    score: 2,
    tagTexts: ['等候时间长'],
    officerName: '李警官',
    ratedAtLocal: '2026-12-28 15:00'
  })

  // The leader sees the follow-up, with the deadline and the resident's number to call.
  cloud.clock.set(Date.parse('2026-12-29T09:30:00+08:00'))
  const leader = await as('demo-leader-zhou')
  await leader.goto(`${cloud.url}/#/officer/ratings/index`)
  const card = byTestId(leader, 'follow-up')
  await card.getByText('取号后等了快一个小时', { exact: false }).waitFor()
  expect(await byTestId(leader, 'follow-up-deadlines').textContent()).toContain('12月29日（周二）前')
  await byTestId(leader, 'call-note')
    .locator('textarea')
    .fill('已电话联系王女士，当天取号等候约50分钟，表示歉意')
  await byTestId(leader, 'submit-call-back').click()
  await byTestId(leader, 'follow-up-status').getByText('已回访', { exact: false }).waitFor()
  await byTestId(leader, 'finding-substantiated').click()
  await byTestId(leader, 'rectification').locator('textarea').fill('午间增开一个窗口；取号时告知预计等候时间')
  await byTestId(leader, 'reply-text')
    .locator('textarea')
    .fill('经核实情况属实。我们已在午间增开窗口，并在取号时告知预计等候时间，感谢您的监督。')
  await byTestId(leader, 'submit-reply').click()
  await byTestId(leader, 'follow-up-status').getByText('已答复', { exact: false }).waitFor()
  expect(
    cloud.store
      .docs('outbox')
      .filter((m) => m.template === 'replyNotice' && m.touser === 'demo-resident-wang')
  ).toHaveLength(1)

  // The resident reads the reply (the notice opens the rating page) and rates the rectification.
  const again = await as('demo-resident-wang')
  await again.goto(`${cloud.url}/#/pages/rating/index?appointmentId=${booked._id}`)
  await byTestId(again, 'follow-up-reply').getByText('午间增开窗口', { exact: false }).waitFor()
  // Rating again is asked for once more: the dialog says what is rated and that the first rating stays.
  await byTestId(again, 'rect-unsatisfied').click()
  const dialog = again.getByText('您对整改结果的评价是“不满意”', { exact: false })
  await dialog.waitFor()
  expect(await dialog.textContent()).toContain('您原来对服务的评价“不满意”保留不变')
  await again.getByText('再想想', { exact: true }).click()
  await dialog.waitFor({ state: 'hidden' })
  expect(cloud.store.docs('followUps')[0]).toMatchObject({ status: 'replied' })
  await byTestId(again, 'rect-satisfied').click()
  await again.getByText('您对整改结果的评价是“满意”', { exact: false }).waitFor()
  await again.getByText('确认提交', { exact: true }).click()
  await byTestId(again, 'rectification-result').getByText('满意').waitFor()
  expect(cloud.store.docs('followUps')[0]).toMatchObject({ status: 'closed', rectificationText: '满意' })

  // The supervisor's dashboard shows the bad review and the closed follow-up.
  const supervisor = await as('demo-supervisor-chen')
  await supervisor.goto(`${cloud.url}/#/supervisor/dashboard/index`)
  await byTestId(supervisor, 'dash-total').getByText('1', { exact: true }).waitFor()
  expect(await byTestId(supervisor, 'dash-satisfaction-rate').textContent()).toBe('0.0%')
  expect(await byTestId(supervisor, 'dash-level-unsatisfied').textContent()).toContain('1条')
  expect(await byTestId(supervisor, 'dash-rect-satisfied').textContent()).toContain('1 / 1')
  expect(await byTestId(supervisor, 'dash-followups-open').textContent()).toContain('0')
  expect(await byTestId(supervisor, 'dash-volume-certificate').textContent()).toContain('1')

  for (const p of [officer, resident, leader, again, supervisor]) expect(p.errors).toEqual([])
})

test('the supervisor reads who looked at residents’ personal data: the leader’s follow-up list is on record', async () => {
  const supervisor = await as('demo-supervisor-chen')
  await supervisor.goto(`${cloud.url}/#/supervisor/dashboard/index`)
  await byTestId(supervisor, 'dash-link-audit').click()
  const entry = byTestId(supervisor, 'audit-entry').filter({ hasText: '查看差评回访' })
  await entry.first().waitFor()
  expect(await entry.first().textContent()).toContain('所领导')
  expect(await entry.first().textContent()).not.toContain('138')
  expect(supervisor.errors).toEqual([])
})

test('意见簿 and 首问责任: an anonymous complaint gets the leader’s reply; the first officer to open a question owns and answers it', async () => {
  cloud.clock.set(Date.parse('2026-12-30T10:00:00+08:00'))
  const resident = await as('demo-resident-zhao')
  await resident.goto(`${cloud.url}/#/pages/feedback/index`)
  await byTestId(resident, 'supervision-phone').getByText('0123-6612110', { exact: false }).waitFor()
  await byTestId(resident, 'feedback-kind-complaint').click()
  await byTestId(resident, 'feedback-anonymous').click()
  await byTestId(resident, 'anonymous-note').waitFor()
  await byTestId(resident, 'feedback-content')
    .locator('textarea')
    .fill('窗口的叫号屏坏了好几天，老人听不清叫号')
  await byTestId(resident, 'submit-feedback').click()
  await byTestId(resident, 'subscribe-allow').click()
  await byTestId(resident, 'my-feedback').getByText('叫号屏', { exact: false }).waitFor()
  const entry = cloud.store.docs('feedback')[0]
  expect(entry).toMatchObject({ anonymous: true, kind: 'complaint' })
  expect(entry?.contactName).toBeUndefined()

  const leader = await as('demo-leader-zhou')
  await leader.goto(`${cloud.url}/#/officer/feedback/index`)
  await byTestId(leader, 'feedback-item').getByText('叫号屏', { exact: false }).waitFor()
  expect(await byTestId(leader, 'feedback-author').textContent()).toContain('匿名')
  await byTestId(leader, 'feedback-reply-text')
    .locator('textarea')
    .fill('叫号屏已于今天修好，并增加了人工叫号。感谢提醒。')
  await byTestId(leader, 'submit-feedback-reply').click()
  await byTestId(leader, 'feedback-reply').getByText('已于今天修好', { exact: false }).waitFor()

  // The resident asks a question; the first officer to open it becomes its owner and answers.
  await resident.goto(`${cloud.url}/#/pages/feedback/index`)
  await byTestId(resident, 'question-text').locator('textarea').fill('孩子上小学要户籍证明，可以在网上开吗？')
  await byTestId(resident, 'submit-question').click()
  await byTestId(resident, 'subscribe-allow').click()
  await byTestId(resident, 'my-question').getByText('户籍证明', { exact: false }).waitFor()

  cloud.clock.set(Date.parse('2026-12-30T10:20:00+08:00'))
  const officer = await as('demo-officer-li')
  await officer.goto(`${cloud.url}/#/officer/questions/index`)
  await byTestId(officer, 'question').getByText('户籍证明', { exact: false }).waitFor()
  await byTestId(officer, 'open-question').click()
  await byTestId(officer, 'question-owner').getByText('您是首问责任人', { exact: false }).waitFor()

  // A leader opening it later sees who owns it and cannot answer in their place.
  const leaderQ = await as('demo-leader-zhou')
  await leaderQ.goto(`${cloud.url}/#/officer/questions/index`)
  await byTestId(leaderQ, 'question-owner').getByText('李警官', { exact: false }).waitFor()
  expect(await byTestId(leaderQ, 'submit-answer').count()).toBe(0)

  await byTestId(officer, 'answer-text')
    .locator('textarea')
    .fill('可以先在小程序预约，带户口簿到窗口当场开具，不收费。')
  await byTestId(officer, 'submit-answer').click()
  await byTestId(officer, 'question-answer').getByText('当场开具', { exact: false }).waitFor()

  await resident.goto(`${cloud.url}/#/pages/my-voice/index`)
  await byTestId(resident, 'feedback-reply').getByText('已于今天修好', { exact: false }).waitFor()
  await byTestId(resident, 'question-answer').getByText('当场开具', { exact: false }).waitFor()
  expect(cloud.store.docs('questions')[0]).toMatchObject({
    status: 'answered',
    ownerStaffId: 'staff-officer-li'
  })
  for (const p of [resident, leader, officer, leaderQ]) expect(p.errors).toEqual([])
})
