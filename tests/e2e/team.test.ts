/**
 * The team page: a leader creates an invite code; a new WeChat user binds with it and their name
 * and is then an officer; the leader puts them on today's roster and "who is on duty now" shows
 * them.
 */
import type { Browser } from 'playwright-core'
import type { Result } from '../../types/result'
import type { StaffOutputs } from '../../types/staff-admin'
import { localDate } from '../../types/time'
import { launch, pageAs, byTestId } from '../helpers/browser'
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

  // The leader (page reloaded: the new colleague is in the station's list) rosters them today, all day.
  const today = localDate(Date.now())
  await leader.reload()
  await byTestId(leader, `shift-add-${today}`).click()
  await byTestId(leader, `shift-start-${today}-0`).locator('input').fill('00:00')
  await byTestId(leader, `shift-end-${today}-0`).locator('input').fill('00:00')
  await byTestId(leader, `shift-person-${today}-0-${sunId}`).click()
  await byTestId(leader, `roster-save-${today}`).click()
  await byTestId(leader, `roster-message-${today}`).getByText('已保存').waitFor()
  await byTestId(leader, 'on-duty').getByText('孙警官', { exact: false }).waitFor()

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
