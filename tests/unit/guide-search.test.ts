/**
 * The guide's search in residents' words (types/guide.ts `searchServices`), on the demo seed: the
 * phrasings people type or dictate find the service they mean first, and a term the guide does not
 * know still finds nothing rather than everything.
 */
import { services } from '../../database/seed/services'
import { searchServices } from '../../types/guide'

const ids = (q: string) => searchServices(services, q).map((s) => s._id)

describe('everyday phrasings find the right service first', () => {
  test.each([
    ['身份证丢了', 'svc-idcard-replace'],
    ['我的身份证丢了怎么办？', 'svc-idcard-replace'],
    ['身份证掉了', 'svc-idcard-replace'],
    ['身份证补领', 'svc-idcard-replace'],
    ['身份证过期了', 'svc-idcard-renew'],
    ['孩子上户口', 'svc-reg-birth'],
    ['给刚出生的孩子上户口需要什么材料', 'svc-reg-birth'],
    ['开证明', 'svc-cert-hukou'],
    ['老人去世了', 'svc-reg-death'],
    ['改名字', 'svc-corr-name'],
    ['户口本登记错了', 'svc-corr-items']
  ])('%s → %s', (query, expected) => {
    expect(ids(query)[0]).toBe(expected)
  })

  test('身份证丢了 finds only the reissue, not every ID-card service', () => {
    expect(ids('身份证丢了')).toEqual(['svc-idcard-replace'])
  })

  test('户口本 finds the services that need or change the household register, and no ID-card service', () => {
    const found = ids('户口本')
    expect(found).toEqual(expect.arrayContaining(['svc-reg-birth', 'svc-reg-move-in', 'svc-cert-hukou']))
    expect(found.some((id) => id.startsWith('svc-idcard'))).toBe(false)
    expect(ids('户口本')).toEqual(ids('户口簿'))
  })
})

describe('what the guide does not know', () => {
  test('a word no service has finds nothing, alone or beside a known one', () => {
    expect(ids('驾驶证')).toEqual([])
    expect(ids('身份证 驾驶证')).toEqual([])
    expect(ids('我的驾驶证丢了')).toEqual([])
  })

  test('filler words alone do not narrow anything', () => {
    expect(ids('怎么办')).toHaveLength(services.length)
  })
})
