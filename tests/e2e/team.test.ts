/**
 * The team page: a leader creates an invite code; a new WeChat user binds with it and their name
 * and is then an officer; the leader puts them on today's roster in the week grid (hours picked)
 * and "who is on duty now" shows them. The leader copies last week onto this week in one action,
 * told what it replaced and which hours nobody reachable holds.
 */
import type { Browser } from 'playwright-core'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { weekDates, weekStart, type Shift } from '../../types/duty'
import { addDays, formatLocalDate, localDate } from '../../types/time'
import { launch, pageAs, byTestId } from '../helpers/browser'
import { pickTime } from '../helpers/picker'
import { callFunction, freshCloud } from '../helpers/cloud'
import { onDutyAllDay } from '../helpers/roster'

jest.setTimeout(90_000)

let cloud: Awaited<ReturnType<typeof freshCloud>>
let browser: Browser

const LEADER = 'demo-leader-zhou'
const NEWCOMER = 'new-officer-sun'
const STATION = 'st-yunxi-chengguan'

beforeAll(async () => {
  cloud = await freshCloud({ timers: false })
  browser = await launch()
})

afterAll(async () => {
  await browser?.close()
  await cloud?.close()
})

const as = (openid: string) => pageAs(browser, openid)

function staff<A extends keyof StaffOutputs>(action: A, payload: unknown, openid: string) {
  return callFunction<Result<StaffOutputs[A]>>(cloud, 'staff', { action, payload }, openid).then(
    (r) => r.body
  )
}

test('a leader invites, a newcomer binds, the leader rosters them and they are on duty now', async () => {
  // The leader creates an invite code and reads it out.
  const leader = await as(LEADER)
  await leader.goto(`${cloud.url}/#/officer/team/index`)
  await byTestId(leader, 'invite-create').click()
  const shown = (await byTestId(leader, 'invite-code').innerText()).trim()
  expect(shown).toMatch(/^[A-Z0-9]{4} [A-Z0-9]{4}$/)
  await byTestId(leader, 'invite-expiry').getByText('前有效', { exact: false }).waitFor()

  // A new WeChat user opens the team page and binds with the code and their name.
  const sun = await as(NEWCOMER)
  expect(await staff('me', {}, NEWCOMER)).toEqual({ ok: true, data: { role: 'resident' } })
  await sun.goto(`${cloud.url}/#/officer/team/index`)
  await byTestId(sun, 'bind-code').locator('input').fill(shown.toLowerCase())
  await byTestId(sun, 'bind-name').locator('input').fill('孙警官')
  await byTestId(sun, 'bind-mobile').locator('input').fill('13900000188')
  await byTestId(sun, 'bind-submit').click()
  await byTestId(sun, 'team-me').getByText('孙警官（民警）', { exact: false }).waitFor()
  const me = await staff('me', {}, NEWCOMER)
  if (!me.ok || me.data.role === 'resident') throw new Error(`expected an officer, got ${JSON.stringify(me)}`)
  expect(me.data).toMatchObject({ name: '孙警官', role: 'officer', stationId: STATION })
  const sunId = me.data.staffId
  // Officers see the roster read-only: no invite, no editing.
  expect(await byTestId(sun, 'invite-create').count()).toBe(0)

  // The leader (page reloaded: the new colleague is in the station's list) rosters them today, all
  // day: today is one column of the week grid; its shift's hours are picked, never typed.
  const today = localDate(Date.now())
  await leader.reload()
  await byTestId(leader, `week-person-${sunId}`).waitFor()
  // Nothing rostered yet: today has hours with nobody reachable, and the warning lists them.
  expect(await byTestId(leader, `week-cover-${today}`).getAttribute('data-gap')).toBe('yes')
  await byTestId(leader, 'roster-gaps').waitFor()
  await byTestId(leader, `week-day-${today}`).click()
  await byTestId(leader, `shift-add-${today}`).click()
  await pickTime(leader, byTestId(leader, `shift-start-${today}-0`), '00:00')
  await pickTime(leader, byTestId(leader, `shift-end-${today}-0`), '00:00')
  await byTestId(leader, `shift-end-${today}-0`).getByText('00:00', { exact: false }).waitFor()
  await byTestId(leader, `shift-person-${today}-0-${sunId}`).click()
  // Before saving, the grid already shows today covered — said to be the unsaved plan.
  await byTestId(leader, 'roster-save').getByText('1 天有修改', { exact: false }).waitFor()
  expect(await byTestId(leader, `week-cover-${today}`).getAttribute('data-gap')).toBe('no')
  expect(await byTestId(leader, `week-cell-${sunId}-${today}`).getAttribute('aria-label')).toContain(
    '00:00–24:00 值班'
  )
  await byTestId(leader, 'roster-save').click()
  await byTestId(leader, 'roster-message').getByText('已保存本周排班', { exact: false }).waitFor()
  await byTestId(leader, 'on-duty').getByText('孙警官', { exact: false }).waitFor()
  expect(cloud.store.get('rosters', `${STATION}_${today}`)).toMatchObject({
    shifts: [{ start: '00:00', end: '00:00', staffIds: [sunId] }]
  })

  const duty = await staff('onDuty', { stationId: STATION }, LEADER)
  expect(duty.ok && duty.data.staff.map((s) => s.staffId)).toEqual([sunId])
  expect(leader.errors).toEqual([])
  expect(sun.errors).toEqual([])
})

/**
 * The newcomer as an officer on duty today. After the first test they already are; run alone, this
 * binds them through the API and rosters them the way the first test's leader does.
 */
async function newcomerOnDuty(): Promise<string> {
  const me = await staff('me', {}, NEWCOMER)
  if (me.ok && me.data.role !== 'resident') return me.data.staffId
  const invite = await staff('createInvite', { role: 'officer' }, LEADER)
  if (!invite.ok) throw new Error(`invite: ${JSON.stringify(invite)}`)
  const bound = await staff(
    'bindInvite',
    { code: invite.data.code, name: '孙警官', mobile: '13900000188' },
    NEWCOMER
  )
  if (!bound.ok) throw new Error(`bind: ${JSON.stringify(bound)}`)
  onDutyAllDay(cloud, STATION, [bound.data.staffId])
  return bound.data.staffId
}

test('the leader stops the account of an officer who has left: off duty at once, and a resident again', async () => {
  const sunId = await newcomerOnDuty()
  const duty = await staff('onDuty', { stationId: STATION }, LEADER)
  expect(duty.ok && duty.data.staff.map((s) => s.staffId)).toEqual([sunId])
  const leader = await as(LEADER)
  await leader.goto(`${cloud.url}/#/officer/team/index`)
  // The leader cannot stop their own account, only officers'.
  expect(await byTestId(leader, 'deactivate-staff-leader-zhou').count()).toBe(0)
  await byTestId(leader, `deactivate-${sunId}`).click()
  await byTestId(leader, 'deactivate-reason').locator('input').fill('调离本所')
  await byTestId(leader, 'deactivate-confirm').click()
  await byTestId(leader, 'people-message').getByText('已停用 孙警官', { exact: false }).waitFor()
  await leader.locator(`[data-testid="person-${sunId}"]`).waitFor({ state: 'detached' }) // the list reloads without them
  await byTestId(leader, 'on-duty').getByText('现在没有排班', { exact: false }).waitFor()
  expect(await staff('me', {}, NEWCOMER)).toEqual({ ok: true, data: { role: 'resident' } })
  expect(leader.errors).toEqual([])
})

test('copy last week: one action for the whole week, what it replaced said, the night nobody holds shown', async () => {
  const monday = weekStart(localDate(Date.now()))
  const lastMonday = addDays(monday, -7)
  const put = (from: string, shiftsOf: (i: number) => Shift[]) =>
    cloud.store.commit(
      weekDates(from).map((date, i) => ({
        coll: 'rosters',
        id: `${STATION}_${date}`,
        doc: { _id: `${STATION}_${date}`, stationId: STATION, date, shifts: shiftsOf(i) }
      }))
    )
  // Last week: 李 by day, 赵 on call by night, except Sunday night. This week: only Tuesday planned.
  put(lastMonday, (i) => [
    { start: '08:00', end: '20:00', staffIds: ['staff-officer-li'] },
    ...(i === 6 ? [] : [{ start: '20:00', end: '08:00', staffIds: ['staff-officer-zhao'], onCall: true }])
  ])
  put(monday, (i) => (i === 1 ? [{ start: '09:00', end: '17:00', staffIds: ['staff-leader-zhou'] }] : []))
  const tuesday = addDays(monday, 1)
  const sunday = addDays(monday, 6)

  const leader = await as(LEADER)
  await leader.goto(`${cloud.url}/#/officer/team/index`)
  await byTestId(leader, 'week-grid').waitFor()
  await byTestId(leader, 'roster-copy').click()
  // Before copying, it says which of this week's days will be replaced.
  await byTestId(leader, 'copy-confirm')
    .getByText(`${formatLocalDate(tuesday).split(' ')[0]}`, { exact: false })
    .waitFor()
  await byTestId(leader, 'copy-confirm-yes').click()
  const told = byTestId(leader, 'roster-message')
  await told.getByText('已把上周的排班复制到本周', { exact: false }).waitFor()
  expect(await told.innerText()).toContain(
    `替换了：${formatLocalDate(tuesday)}（原为 09:00–17:00 值班：周所长）`
  )
  for (const [i, date] of weekDates(monday).entries())
    expect(cloud.store.get('rosters', `${STATION}_${date}`)).toMatchObject({
      shifts: [
        { start: '08:00', end: '20:00', staffIds: ['staff-officer-li'] },
        ...(i === 6 ? [] : [{ start: '20:00', end: '08:00', staffIds: ['staff-officer-zhao'], onCall: true }])
      ]
    })
  // The grid: 赵's Monday night on call; Sunday night and Monday morning (last Sunday had no night) uncovered.
  expect(
    await byTestId(leader, `week-cell-staff-officer-zhao-${monday}`).getAttribute('aria-label')
  ).toContain('20:00–24:00 备勤')
  expect(await byTestId(leader, `week-cover-${sunday}`).getAttribute('data-gap')).toBe('yes')
  expect(await byTestId(leader, `week-cover-${tuesday}`).getAttribute('data-gap')).toBe('no')
  await byTestId(leader, 'roster-gaps')
    .getByText(`${formatLocalDate(sunday).split(' ')[0]} 20:00 至`, { exact: false })
    .waitFor()

  // Copying again replaces nothing and says so.
  await byTestId(leader, 'roster-copy').click()
  await byTestId(leader, 'copy-confirm-yes').click()
  await told.getByText('本周原有的排班没有被替换', { exact: false }).waitFor()
  expect(leader.errors).toEqual([])
})
