/**
 * The subscription-template registry (types/templates.ts): its integrity, the keyword-type rules
 * subscribeMessage.send applies (47003 naming the field), and the checks
 * wx.requestSubscribeMessage makes on the ids of one request.
 */
import {
  KEYWORD_TYPES,
  MAX_IDS_PER_REQUEST,
  TEMPLATES,
  TEMPLATE_IDS,
  TEMPLATE_KEYS,
  checkKeywordValue,
  clipThing,
  findTemplateById,
  messageData,
  planSubscribeRequest,
  resolveTemplate,
  templateIdOf,
  templatesOf,
  validateMessageData,
  type KeywordType,
  type TemplateSpec
} from '../../types/templates'

describe('the registry', () => {
  test('every environment names an id for every template, all distinct', () => {
    expect(Object.keys(TEMPLATE_IDS)).toContain('local')
    expect(TEMPLATE_KEYS.length).toBeGreaterThan(0)
    for (const [env, set] of Object.entries(TEMPLATE_IDS)) {
      expect(Object.keys(set).sort()).toEqual([...TEMPLATE_KEYS].sort())
      const ids = TEMPLATE_KEYS.map((k) => templateIdOf(k, env))
      expect(new Set(ids).size).toBe(ids.length)
      for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/)
    }
  })

  test('keyword keys are WeChat keys of their type (thing1, time2 …), names and keys unique per template', () => {
    expect(Object.keys(TEMPLATE_IDS)).toContain('local')
    for (const env of Object.keys(TEMPLATE_IDS)) {
      expect(templatesOf(env)).toHaveLength(TEMPLATE_KEYS.length)
      for (const t of templatesOf(env)) {
        expect(t.keywords.length).toBeGreaterThan(0)
        expect(t.keywords.length).toBeLessThanOrEqual(5)
        for (const k of t.keywords) {
          expect(KEYWORD_TYPES).toContain(k.type)
          expect(k.key).toMatch(new RegExp(`^${k.type}\\d+$`))
          expect(k.label.length).toBeGreaterThan(0)
        }
        expect(new Set(t.keywords.map((k) => k.key)).size).toBe(t.keywords.length)
        expect(new Set(t.keywords.map((k) => k.name)).size).toBe(t.keywords.length)
      }
    }
  })

  test('titles are distinct (WeChat filters a repeated title in one request); pages are page paths', () => {
    const titles = TEMPLATE_KEYS.map((k) => TEMPLATES[k].title)
    expect(titles.length).toBeGreaterThan(1)
    expect(new Set(titles).size).toBe(titles.length)
    for (const k of TEMPLATE_KEYS)
      expect(TEMPLATES[k].page).toMatch(/^[a-z][a-z0-9-]*(\/[a-z0-9-]+)*\/index$/)
  })

  test('the templates the product needs, long-term only for the staff alerts', () => {
    expect(
      Object.fromEntries(TEMPLATE_KEYS.map((k) => [k, [TEMPLATES[k].title, TEMPLATES[k].kind]]))
    ).toEqual({
      bookingConfirmed: ['预约成功通知', 'one-time'],
      bookingReminder: ['预约提醒', 'one-time'],
      bookingCancelled: ['预约取消通知', 'one-time'],
      officerAlert: ['新的服务申请提醒', 'long-term'],
      followUpAlert: ['差评回访提醒', 'long-term'],
      requestProgress: ['办理进度通知', 'one-time'],
      ratingInvite: ['服务评价邀请', 'one-time'],
      replyNotice: ['留言回复通知', 'one-time'],
      queueCall: ['排队叫号提醒', 'one-time'],
      prereviewResult: ['材料预审结果通知', 'one-time'],
      cardProgress: ['证件办理进度通知', 'one-time']
    })
    expect(TEMPLATES.officerAlert.audience).toBe('officer')
    expect(TEMPLATES.followUpAlert.audience).toBe('officer')
  })

  test('the staff alerts can be asked for in one request (same kind, at most 3)', () => {
    const staffKeys = TEMPLATE_KEYS.filter((k) => TEMPLATES[k].audience === 'officer')
    const planned = planSubscribeRequest(
      staffKeys.map((k) => templateIdOf(k, 'local')),
      'local'
    )
    expect(planned.ok && planned.items.map((i) => [i.template.key, i.filtered])).toEqual([
      ['officerAlert', false],
      ['followUpAlert', false]
    ])
  })

  test('a follow-up alert as sent fits its keywords, the deadline worded as people say it', () => {
    const values = {
      kind: '差评回访',
      service: clipThing('户籍证明（迁入、迁出、死亡注销证明等各类户口证明）'),
      level: '非常不满意',
      due: '12月29日（周二）前',
      note: '请电话回访居民并记录结果'
    }
    expect(
      validateMessageData(
        TEMPLATES.followUpAlert,
        messageData(resolveTemplate('followUpAlert', 'local'), values)
      )
    ).toBeNull()
    // A deadline in a `time` keyword would have to be "2026-12-30 00:00": why `due` is a thing.
    expect(checkKeywordValue('time', values.due)).not.toBeNull()
  })

  test('an environment without real ids uses the local set; ids resolve back to their template', () => {
    expect(templateIdOf('bookingConfirmed', 'some-unconfigured-env')).toBe(
      templateIdOf('bookingConfirmed', 'local')
    )
    expect(templateIdOf('bookingConfirmed', '')).toBe(templateIdOf('bookingConfirmed', undefined))
    const t = resolveTemplate('bookingReminder', 'local')
    expect(findTemplateById(t.id, 'local')).toEqual(t)
    expect(findTemplateById('nope', 'local')).toBeUndefined()
  })

  test('messageData fills keyword keys from values by name; missing values are left empty', () => {
    const t = resolveTemplate('ratingInvite', 'local')
    expect(messageData(t, { service: '补领居民身份证', time: '10:05' })).toEqual({
      thing1: { value: '补领居民身份证' },
      time2: { value: '10:05' },
      thing3: { value: '' }
    })
  })

  test('clipThing keeps a value within 20 characters', () => {
    expect(clipThing('补领居民身份证')).toBe('补领居民身份证')
    const long = '一二三四五六七八九十一二三四五六七八九十一二'
    expect(clipThing(long)).toHaveLength(20)
    expect(clipThing(long).endsWith('…')).toBe(true)
    expect(checkKeywordValue('thing', clipThing(long))).toBeNull()
  })
})

// WeChat's limits per keyword type: thing ≤ 20 characters; number ≤ 32 digits; letter ≤ 32
// letters; symbol ≤ 5; character_string ≤ 32 letters, digits or symbols; time and date in 24-hour
// form, `~` for a range; name ≤ 10 Chinese characters or ≤ 20 letters; phrase ≤ 5 Chinese
// characters only.
describe('keyword values by type (WeChat limits)', () => {
  const cases: Record<KeywordType, { ok: string[]; bad: string[] }> = {
    thing: {
      ok: ['补领居民身份证', 'a'.repeat(20), '一'.repeat(20), '请带好户口簿 & 照片!'],
      bad: ['一'.repeat(21), 'a'.repeat(21)]
    },
    number: { ok: ['0', '12', '3.14', '9'.repeat(32)], bad: ['9'.repeat(33), '-1', '1e5', '12a', '1.2.3'] },
    letter: { ok: ['abc', 'A'.repeat(32)], bad: ['a'.repeat(33), 'ab1', 'a b', '字'] },
    symbol: { ok: ['!', '#$%', '、。？！…'], bad: ['!!!!!!', 'a!', '1'] },
    character_string: {
      ok: ['A1234', 'ID-2026_11/27', 'x'.repeat(32)],
      bad: ['x'.repeat(33), '预约A1', 'A 1']
    },
    time: {
      ok: [
        '15:01',
        '9:05',
        '15:01:30',
        '2026年11月27日 15:01',
        '2026-11-27 15:01',
        '2026/11/27 09:30',
        '09:30~10:00',
        '2026年11月27日 09:30~10:00',
        '2026年11月27日 09:30~2026年11月28日 10:00'
      ],
      bad: [
        '明天上午',
        '24:00',
        '15:60',
        '2026年11月27日',
        '2026年2月30日 10:00',
        '09:30～10:00',
        '09:30~10:00~11:00',
        '3pm'
      ]
    },
    date: {
      ok: [
        '2026年11月27日',
        '2026-11-27',
        '2026年11月27日 15:01',
        '2026年11月27日~2026年11月28日',
        '2026年11月27日 09:30~10:00'
      ],
      bad: ['15:01', '11月27日', '2026年13月1日', '2026-02-29', '昨天']
    },
    amount: {
      ok: ['¥20.00', '￥100', '¥5元', '$1234567890'],
      bad: ['20', '20元', '¥12345678901', '¥ 20', '¥-5']
    },
    phone_number: {
      ok: ['0592-1234567', '+8613800000000', '110', '(0592)1234567'],
      bad: ['1'.repeat(18), '电话110', 'abc', '0592 1234567']
    },
    car_number: {
      ok: ['闽D12345', '粤A8Z888挂', 'D12345'],
      bad: ['闽D123456789', '闽D1中3', '闽'.repeat(3)]
    },
    name: {
      ok: ['王秀英', '阿依古丽·买买提', 'Li Lei', "O'Neil"],
      bad: ['一二三四五六七八九十一', 'a'.repeat(21), '王1']
    },
    phrase: { ok: ['已受理', '紧急求助', '五个汉字啊'], bad: ['六个汉字不行', 'ok', '已受理!'] }
  }

  for (const type of KEYWORD_TYPES) {
    test(`${type}`, () => {
      for (const v of cases[type].ok) expect([v, checkKeywordValue(type, v)]).toEqual([v, null])
      for (const v of cases[type].bad) expect([v, typeof checkKeywordValue(type, v)]).toEqual([v, 'string'])
    })
  }

  test('a full-width ～ in a time range gets a specific hint', () => {
    expect(checkKeywordValue('time', '09:30～10:00')).toContain('半角')
  })
})

describe('validateMessageData: WeChat 47003, naming the field', () => {
  const spec: Pick<TemplateSpec, 'keywords'> = {
    keywords: [
      { name: 'service', label: '办理事项', type: 'thing', key: 'thing1' },
      { name: 'when', label: '时间', type: 'time', key: 'time2' },
      { name: 'status', label: '状态', type: 'phrase', key: 'phrase3' }
    ]
  }
  const good = {
    thing1: { value: '补领居民身份证' },
    time2: { value: '09:30' },
    phrase3: { value: '已受理' }
  }

  test('a fitting payload passes; keys the template lacks are ignored', () => {
    expect(validateMessageData(spec, good)).toBeNull()
    expect(validateMessageData(spec, { ...good, thing9: { value: 'x'.repeat(99) } })).toBeNull()
  })

  test('an empty, blank or missing value is "is empty" for that field', () => {
    for (const value of ['', '   ', undefined, null]) {
      const err = validateMessageData(spec, { ...good, time2: { value } })
      expect(err).toMatchObject({
        errcode: 47003,
        errmsg: 'argument invalid! data.time2.value is empty',
        field: 'time2'
      })
    }
    const { phrase3: _omitted, ...missing } = good
    expect(validateMessageData(spec, missing)?.errmsg).toBe('argument invalid! data.phrase3.value is empty')
    expect(validateMessageData(spec, { ...good, phrase3: '已受理' })?.field).toBe('phrase3')
  })

  test('no data at all: the first keyword is empty', () => {
    for (const data of [undefined, null, 'text', [], {}])
      expect(validateMessageData(spec, data)?.errmsg).toBe('argument invalid! data.thing1.value is empty')
  })

  test('a value that does not fit its type is "invalid", with a plain hint', () => {
    const err = validateMessageData(spec, { ...good, thing1: { value: '一'.repeat(21) } })
    expect(err).toMatchObject({
      errcode: 47003,
      errmsg: 'argument invalid! data.thing1.value invalid',
      field: 'thing1'
    })
    expect(err?.hint).toContain('办理事项')
    expect(err?.hint).toContain('20')
    expect(validateMessageData(spec, { ...good, time2: { value: 930 } })).toMatchObject({
      field: 'time2',
      errmsg: 'argument invalid! data.time2.value invalid'
    })
  })

  test('the first field at fault, in the template’s order, is the one named', () => {
    const err = validateMessageData(spec, {
      thing1: { value: 'ok' },
      time2: { value: 'bad' },
      phrase3: { value: '' }
    })
    expect(err?.field).toBe('time2')
  })
})

describe('planSubscribeRequest: what wx.requestSubscribeMessage accepts', () => {
  const id = (k: (typeof TEMPLATE_KEYS)[number]): string => templateIdOf(k, 'local')

  test('up to 3 templates of one kind', () => {
    const plan = planSubscribeRequest(
      [id('bookingConfirmed'), id('bookingReminder'), id('bookingCancelled')],
      'local'
    )
    expect(plan.ok && plan.items.map((i) => [i.template.key, i.filtered])).toEqual([
      ['bookingConfirmed', false],
      ['bookingReminder', false],
      ['bookingCancelled', false]
    ])
    expect(MAX_IDS_PER_REQUEST).toBe(3)
  })

  test("WeChat's failures, with its codes and messages", () => {
    const failure = (ids: unknown) => {
      const plan = planSubscribeRequest(ids, 'local')
      return plan.ok ? undefined : plan.error
    }
    expect(failure([])).toEqual({
      errCode: 10001,
      errMsg: "requestSubscribeMessage:fail TmplIds can't be empty"
    })
    expect(failure(undefined)?.errCode).toBe(10001)
    expect(failure([42])).toEqual({
      errCode: 10004,
      errMsg: 'requestSubscribeMessage:fail Invalid template id'
    })
    expect(
      failure([id('bookingConfirmed'), id('bookingReminder'), id('bookingCancelled'), id('requestProgress')])
    ).toEqual({
      errCode: 20003,
      errMsg: 'requestSubscribeMessage:fail Templates count out of max bounds'
    })
    expect(failure(['unknown-id'])?.errCode).toBe(20001)
    expect(failure([id('bookingConfirmed'), id('officerAlert')])).toEqual({
      errCode: 20002,
      errMsg: 'requestSubscribeMessage:fail Templates type must be same'
    })
  })

  test('the same id twice counts once', () => {
    const plan = planSubscribeRequest([id('ratingInvite'), id('ratingInvite')], 'local')
    expect(plan.ok && plan.items).toHaveLength(1)
  })
})
