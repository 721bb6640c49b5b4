/**
 * Access declared per action (cloudfunctions/_shared/access.ts, handler.ts): checked before the
 * handler runs, the caller's staff record handed to it, and one station-scope rule with one
 * answer. The caller's identity reaches defineFunction as the cloud runtime sets it (environment
 * variables read by wx-server-sdk's getWXContext); staff records come from a stand-in collection.
 */
import type { Staff } from '../../types/staff'
import { OUT_OF_STATION_MESSAGE } from '../../types/errors'
import { guideInputs } from '../../types/guide'

const STAFF: Staff[] = [
  { _id: 's-officer', openid: 'o-officer', name: '李警官', role: 'officer', stationId: 'st-a', active: true },
  { _id: 's-leader', openid: 'o-leader', name: '周所长', role: 'leader', stationId: 'st-a', active: true },
  { _id: 's-sup', openid: 'o-sup', name: '陈督察', role: 'supervisor', stationId: 'st-a', active: true },
  { _id: 's-gone', openid: 'o-gone', name: '吴警官', role: 'officer', stationId: 'st-a', active: false }
]

jest.mock('../../cloudfunctions/_shared/db', () => {
  const actual = jest.requireActual<typeof import('../../cloudfunctions/_shared/db')>(
    '../../cloudfunctions/_shared/db'
  )
  return {
    ...actual,
    collection: (name: string) => ({
      where: (cond: { openid: string; active: boolean }) => ({
        limit: () => ({
          get: async () => ({
            data:
              name === 'staff'
                ? STAFF.filter((s) => s.openid === cond.openid && s.active === cond.active)
                : []
          })
        })
      })
    })
  }
})

// Imported after the mock is declared (jest hoists jest.mock above the imports).
import { checkAccess, inStation, requireStation } from '../../cloudfunctions/_shared/access'
import { defineFunction, type CallContext } from '../../cloudfunctions/_shared/handler'

const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
  jest.restoreAllMocks()
})

function invokedBy(openid: string): void {
  process.env.WX_CONTEXT_KEYS = 'WX_OPENID,WX_APPID,WX_UNIONID,WX_SOURCE'
  process.env.WX_OPENID = openid
  process.env.WX_APPID = 'wx-test'
  process.env.WX_UNIONID = ''
  process.env.WX_SOURCE = 'wx_client'
  process.env.TCB_ENV = 'test-env'
}

const ctx = (openid: string): CallContext => ({ openid, requestId: 'req-test', now: new Date() })

describe('the station-scope rule', () => {
  const officer = { role: 'officer' as const, stationId: 'st-a' }
  const leader = { role: 'leader' as const, stationId: 'st-a' }
  const supervisor = { role: 'supervisor' as const, stationId: 'st-a' }

  test('officers and leaders act for their own station; supervisors for every station', () => {
    expect(inStation(officer, 'st-a')).toBe(true)
    expect(inStation(officer, 'st-b')).toBe(false)
    expect(inStation(leader, 'st-b')).toBe(false)
    expect(inStation(supervisor, 'st-b')).toBe(true)
    expect(inStation({ role: 'supervisor', stationId: '' }, 'st-b')).toBe(true)
  })

  test('out of scope, the one answer: FORBIDDEN with the out-of-station message', () => {
    expect(() => requireStation(leader, 'st-a')).not.toThrow()
    expect(() => requireStation(leader, 'st-b')).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN', message: OUT_OF_STATION_MESSAGE })
    )
  })
})

describe('checkAccess', () => {
  const staffRule = { access: 'staff', roles: ['leader', 'supervisor'], station: 'own' } as const

  test('public needs nobody; resident needs an identity', async () => {
    await expect(checkAccess({ access: 'public' }, ctx(''), {})).resolves.toBeUndefined()
    await expect(checkAccess({ access: 'resident' }, ctx('o-anyone'), {})).resolves.toBeUndefined()
    await expect(checkAccess({ access: 'resident' }, ctx(''), {})).rejects.toMatchObject({
      code: 'UNAUTHENTICATED'
    })
  })

  test('staff: the active record with one of the roles, in scope for the input station', async () => {
    await expect(checkAccess(staffRule, ctx('o-leader'), { stationId: 'st-a' })).resolves.toMatchObject({
      _id: 's-leader'
    })
    await expect(checkAccess(staffRule, ctx(''), {})).rejects.toMatchObject({ code: 'UNAUTHENTICATED' })
    for (const who of ['o-resident', 'o-officer', 'o-gone'])
      await expect(checkAccess(staffRule, ctx(who), { stationId: 'st-a' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        message: expect.not.stringContaining('本所')
      })
    await expect(checkAccess(staffRule, ctx('o-leader'), { stationId: 'st-b' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      message: OUT_OF_STATION_MESSAGE
    })
    await expect(checkAccess(staffRule, ctx('o-sup'), { stationId: 'st-b' })).resolves.toMatchObject({
      _id: 's-sup'
    })
    // No station named: the handler acts for the caller's own.
    await expect(checkAccess(staffRule, ctx('o-leader'), {})).resolves.toMatchObject({ _id: 's-leader' })
  })

  test("station 'any' leaves the input's station to the handler", async () => {
    const anyRule = { ...staffRule, station: 'any' } as const
    await expect(checkAccess(anyRule, ctx('o-leader'), { stationId: 'st-b' })).resolves.toMatchObject({
      _id: 's-leader'
    })
  })
})

describe('defineFunction checks the declared access before the handler runs', () => {
  function make() {
    const runs: { action: string; staff?: string; openid: string }[] = []
    const main = defineFunction('guide', guideInputs, {
      listStations: {
        access: 'resident',
        async handler(_input, c) {
          runs.push({ action: 'listStations', openid: c.openid })
          return []
        }
      },
      listServices: {
        access: 'staff',
        roles: ['leader', 'supervisor'],
        station: 'own',
        async handler(_input, c) {
          runs.push({ action: 'listServices', staff: c.staff._id, openid: c.openid })
          return { station: {}, services: [] } as never
        }
      },
      getService: {
        access: 'public',
        async handler(_input, c) {
          runs.push({ action: 'getService', openid: c.openid })
          return {} as never
        }
      },
      days: { access: 'public', handler: async () => ({}) as never }
    })
    return { main, runs }
  }

  beforeEach(() => {
    jest.spyOn(console, 'warn').mockImplementation(() => undefined)
  })

  test('a refused call never reaches the handler, and answers with its code', async () => {
    const { main, runs } = make()
    invokedBy('')
    await expect(main({ action: 'listStations', payload: {} })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNAUTHENTICATED' }
    })
    invokedBy('o-officer')
    await expect(main({ action: 'listServices', payload: { stationId: 'st-a' } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' }
    })
    invokedBy('o-leader')
    await expect(main({ action: 'listServices', payload: { stationId: 'st-b' } })).resolves.toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: OUT_OF_STATION_MESSAGE }
    })
    expect(runs).toEqual([])
  })

  test('an allowed call runs with the caller, and a staff action with their record', async () => {
    const { main, runs } = make()
    invokedBy('o-resident')
    await expect(main({ action: 'listStations', payload: {} })).resolves.toMatchObject({ ok: true })
    invokedBy('o-sup')
    await expect(main({ action: 'listServices', payload: { stationId: 'st-b' } })).resolves.toMatchObject({
      ok: true
    })
    invokedBy('')
    await expect(main({ action: 'getService', payload: { serviceId: 'svc-1' } })).resolves.toMatchObject({
      ok: true
    })
    expect(runs).toEqual([
      { action: 'listStations', openid: 'o-resident' },
      { action: 'listServices', staff: 's-sup', openid: 'o-sup' },
      { action: 'getService', openid: '' }
    ])
  })

  test('invalid input is refused before access is looked at', async () => {
    const { main, runs } = make()
    invokedBy('')
    await expect(main({ action: 'listServices', payload: { stationId: 42 } })).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' }
    })
    expect(runs).toEqual([])
  })
})

describe('every action declares its access', () => {
  test('an action without a declared access does not compile, and nothing runs it', () => {
    const define = () =>
      defineFunction('guide', guideInputs, {
        listStations: { access: 'public', handler: async () => [] },
        listServices: { access: 'public', handler: async () => ({ station: {}, services: [] }) as never },
        // @ts-expect-error a bare handler declares no access: `npx tsc` fails if this compiles
        getService: async () => ({}) as never
      })
    // Past the type checker (a cast), the rule fails closed: refused, never run unchecked.
    const main = define()
    invokedBy('o-resident')
    return expect(main({ action: 'getService', payload: { serviceId: 'svc-1' } })).resolves.toEqual({
      ok: false,
      error: expect.objectContaining({ code: 'FORBIDDEN' })
    })
  })
})
