/**
 * The console's pure parts: personal data masked by field name and by value (what a supervisor
 * may see on screen or in an export), CSV written so Excel opens it right and no cell can run as
 * a formula, HTML escaped by construction, and the filter box understood.
 */
import { runInNewContext } from 'node:vm'
import {
  csvCell,
  exportFileName,
  parseFieldList,
  toCsv,
  toJsonLines,
  valueAt
} from '../../local-cloud/console/export'
import { escapeHtml, html } from '../../local-cloud/console/html'
import {
  kindOfKey,
  maskDocument,
  maskMessageData,
  maskName,
  maskPhone,
  maskText
} from '../../local-cloud/console/mask'
import { ConsoleError, pageOf, parseFilter, parsePaging, selectDocs } from '../../local-cloud/console/query'

const MOBILE = '13812345678'
const ID = '110101199003071234'
const ID_X = '11010519491231002X'
const OPENID = 'oVBZx5HgPtO6wp1Nh-CYnJ7EwVqI'

describe('values that look personal are masked wherever they appear', () => {
  test('a mobile number keeps its first 3 and last 4 digits, in any usual spelling', () => {
    expect(maskText(MOBILE)).toBe('138****5678')
    expect(maskText('+86 138-1234-5678')).toBe('+86 138****5678')
    expect(maskText('8613812345678')).toBe('86138****5678')
    expect(maskText('138 1234 5678')).toBe('138****5678')
    expect(maskText(`请回电${MOBILE}，谢谢`)).toBe('请回电138****5678，谢谢')
  })

  test('a resident ID number keeps its first 4 and last 4 characters (birth date hidden)', () => {
    expect(maskText(ID)).toBe('1101**********1234')
    expect(maskText(ID_X)).toBe('1101**********002X')
    expect(maskText(ID.replace(/4$/, 'x'))).toBe('1101**********123x')
    expect(maskText(`身份证号:${ID};`)).toBe('身份证号:1101**********1234;')
    // first-generation 15-digit number
    expect(maskText('110101900307123')).toBe('1101********123')
  })

  test('numbers that are not phones or IDs are left alone', () => {
    for (const text of [
      '1700000000000',
      '2026-01-15T01:30:00.000Z',
      '0123-6612345',
      '123456789012',
      'svc-idcard-first',
      '20260115093000123456',
      '3f2a1b4c-1381-2345-6789-000000000000'
    ]) {
      expect(maskText(text)).toBe(text)
    }
  })

  test('openids (whole or inside a key) and e-mail addresses', () => {
    expect(maskText(OPENID)).toBe('oV…qI')
    expect(maskText(`${OPENID}_2026-01-15`)).toBe('oV…qI_2026-01-15')
    expect(maskText('wang.fang@example.com')).toBe('w***@example.com')
    expect(maskText('openid_unique')).toBe('openid_unique')
  })
})

describe('fields that hold personal data are recognised by name', () => {
  test.each([
    ['mobile', 'phone'],
    ['phone', 'phone'],
    ['contactPhone', 'phone'],
    ['phone_number3', 'phone'],
    ['mobiles', 'phone'],
    ['idNumber', 'idNumber'],
    ['IDNumber', 'idNumber'],
    ['idCard', 'idNumber'],
    ['applicantIdCardNo', 'idNumber'],
    ['id_no', 'idNumber'],
    ['openid', 'openid'],
    ['_openid', 'openid'],
    ['openId', 'openid'],
    ['touser', 'openid'],
    ['officerOpenids', 'openid'],
    ['name', 'name'],
    ['name1', 'name'],
    ['realName', 'name'],
    ['contact_name', 'name'],
    ['nickName', 'name'],
    ['homeAddress', 'address']
  ])('%s holds a %s', (key, kind) => {
    expect(kindOfKey(key)).toBe(kind)
  })

  test.each([
    '_id',
    'stationId',
    'serviceName',
    'templateName',
    'phoneVerified',
    'idCardExpiry',
    'status',
    'thing1',
    'code',
    'mobileMasked',
    'idMasked'
  ])('%s is not personal by its name', (key) => {
    expect(kindOfKey(key)).toBeUndefined()
  })

  test('names: 王芳 → 王*, 张小三 → 张*三, 欧阳娜娜 → 欧**娜', () => {
    expect(maskName('王芳')).toBe('王*')
    expect(maskName('张小三')).toBe('张*三')
    expect(maskName('欧阳娜娜')).toBe('欧**娜')
    expect(maskName('李')).toBe('*')
  })

  test('a personal phone that is not a mobile still loses its middle digits', () => {
    expect(maskPhone('0123-6612345')).toBe('012*-***2345')
    expect(maskPhone('未填写')).toBe('未填写')
  })
})

describe('documents', () => {
  const resident = {
    _id: 'appt-1',
    openid: 'demo-resident-wang',
    applicant: { name: '王小芳', mobile: MOBILE, idNumber: ID, relation: 'self' },
    phones: ['13987654321', 13712345678],
    remark: `家属电话 13611112222，身份证 ${ID_X}`,
    x: ID,
    serviceName: '居民身份证换领',
    startsAt: new Date('2026-01-15T01:30:00Z'),
    grants: { [OPENID]: 1 },
    booked: 1
  }

  test('masks by field name and by value, dates as ISO, and leaves the rest', () => {
    expect(maskDocument(resident, 'appointments')).toEqual({
      _id: 'appt-1',
      openid: 'de…ng',
      applicant: { name: '王*芳', mobile: '138****5678', idNumber: '1101**********1234', relation: 'self' },
      phones: ['139****4321', '137****5678'],
      remark: '家属电话 136****2222，身份证 1101**********002X',
      x: '1101**********1234',
      serviceName: '居民身份证换领',
      startsAt: '2026-01-15T01:30:00.000Z',
      grants: { 'oV…qI': 1 },
      booked: 1
    })
  })

  test('documents from another realm (structuredClone, a vm context) are read the same way', () => {
    const foreign = runInNewContext(
      `({ _id: 'r', mobile: '${MOBILE}', at: new Date(0), list: [{ name: '王芳' }] })`
    ) as unknown
    expect(maskDocument(foreign, 'residents')).toEqual({
      _id: 'r',
      mobile: '138****5678',
      at: '1970-01-01T00:00:00.000Z',
      list: [{ name: '王*' }]
    })
    expect(maskDocument(structuredClone(resident), 'appointments')).toEqual(
      maskDocument(resident, 'appointments')
    )
  })

  test('does not change the stored document', () => {
    const copy = structuredClone(resident)
    maskDocument(resident, 'appointments')
    expect(resident).toEqual(copy)
  })

  test("the station's public service numbers are shown; the same fields elsewhere are masked", () => {
    const station = {
      _id: 'st-1',
      name: '城关派出所户政窗口',
      address: '人民路 88 号',
      consultPhone: '13800001111',
      supervisionPhone: '0123-6612110'
    }
    expect(maskDocument(station, 'stations')).toEqual(station)
    const elsewhere = maskDocument(station, 'residents') as Record<string, string>
    expect(elsewhere.consultPhone).toBe('138****1111')
    expect(elsewhere.name).toBe('城*******口')
  })

  test("a service's and a material's names are things, not people", () => {
    const service = {
      _id: 'svc',
      name: '居民身份证补领',
      materials: [{ name: '居民户口簿', required: false }]
    }
    expect(maskDocument(service, 'services')).toEqual(service)
    expect((maskDocument({ name: '王芳' }, 'staff') as { name: string }).name).toBe('王*')
  })

  test('subscription-message keywords: names and phones by their type, the rest by value', () => {
    expect(
      maskMessageData({
        name1: { value: '王小芳' },
        phone_number2: { value: MOBILE },
        thing3: { value: '身份证换领' },
        character_string4: { value: ID }
      })
    ).toEqual({
      name1: '王*芳',
      phone_number2: '138****5678',
      thing3: '身份证换领',
      character_string4: '1101**********1234'
    })
  })
})

describe('CSV', () => {
  test('quotes fields holding quotes, commas or line breaks, doubling the quotes', () => {
    expect(csvCell('plain')).toBe('plain')
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"')
    expect(csvCell('cr\rhere')).toBe('"cr\rhere"')
    expect(csvCell('中文，全角逗号')).toBe('中文，全角逗号')
  })

  test('nested values are JSON, dates ISO, missing values empty, numbers as they are', () => {
    expect(csvCell({ a: 1, b: 'x,y' })).toBe('"{""a"":1,""b"":""x,y""}"')
    expect(csvCell(['a', 'b'])).toBe('"[""a"",""b""]"')
    expect(csvCell(new Date('2026-01-15T01:30:00Z'))).toBe('2026-01-15T01:30:00.000Z')
    expect(csvCell(undefined)).toBe('')
    expect(csvCell(null)).toBe('')
    expect(csvCell(-5)).toBe('-5')
    expect(csvCell(false)).toBe('false')
  })

  test('a text that a spreadsheet would run as a formula is defused', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"')
    expect(csvCell('+86 138****5678')).toBe("'+86 138****5678")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('-1+1')).toBe("'-1+1")
  })

  test('a file: BOM for Excel, the field list as header, CRLF rows, dotted paths', () => {
    const docs = [
      {
        _id: 'a',
        name: '王*',
        officeHours: { weekdays: [1, 2] },
        materials: [{ name: '户口簿' }, { name: '照片' }]
      },
      { _id: 'b', note: 'x\ny' }
    ]
    const csv = toCsv(docs, [
      '_id',
      'name',
      'officeHours.weekdays',
      'materials.name',
      'materials.1.name',
      'note'
    ])
    expect(csv.startsWith('\uFEFF_id,name,')).toBe(true)
    expect(csv.slice(1).split('\r\n')).toEqual([
      '_id,name,officeHours.weekdays,materials.name,materials.1.name,note',
      'a,王*,"[1,2]","[""户口簿"",""照片""]",照片,',
      'b,,,,,"x\ny"',
      ''
    ])
    expect(valueAt({ a: [{ b: 1 }, { b: 2 }] }, 'a.b')).toEqual([1, 2])
  })

  test('CSV needs a field list: none is refused with a message saying so', () => {
    for (const none of [null, '', ' , ']) {
      expect(() => parseFieldList(none)).toThrow(ConsoleError)
      expect(() => parseFieldList(none)).toThrow(/字段列表.*field list/)
    }
    expect(parseFieldList('_id, name，category\nname')).toEqual(['_id', 'name', 'category'])
    expect(() => parseFieldList('_id,$where')).toThrow(/不合法/)
  })

  test('JSON lines: one document a line; file names carry the Shanghai wall clock', () => {
    expect(toJsonLines([{ a: 1 }, { b: 'x\ny' }])).toBe('{"a":1}\n{"b":"x\\ny"}\n')
    expect(exportFileName('services', new Date('2026-01-14T17:05:09Z'), 'csv')).toBe(
      'services-20260115-010509.csv'
    )
    expect(exportFileName('a/../b', new Date(0), 'json')).toBe('a____b-19700101-080000.json')
  })
})

describe('HTML escaping', () => {
  test('every interpolated value is escaped; markup built with the tag is kept', () => {
    expect(escapeHtml(`<script>alert("x")</script>&'`)).toBe(
      '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&#39;'
    )
    const evil = '"><img src=x onerror=alert(1)>'
    const out = html`<input value="${evil}"><p>${['<b>', html`<b>ok</b>`]}</p>${null}${undefined}${false}${0}`
      .value
    expect(out).toBe('<input value="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"><p>&lt;b&gt;<b>ok</b></p>0')
  })
})

describe('the filter box', () => {
  const docs = [
    { _id: 'a', category: 'id_card', order: 2, feeFen: 2000, inPerson: true },
    { _id: 'b', category: 'id_card', order: 1, feeFen: 0, inPerson: false },
    {
      _id: 'c',
      category: 'certificate',
      order: 1,
      feeFen: 0,
      inPerson: true,
      at: new Date('2026-01-02T00:00:00Z')
    }
  ]
  const ids = (filter: string, sort?: { field: string; dir: 1 | -1 }): string[] =>
    selectDocs(docs, parseFilter(filter), sort).map((d) => d._id)

  test('Mongo-style JSON, dates included', () => {
    expect(ids('{"category":"id_card"}')).toEqual(['a', 'b'])
    expect(ids('{"feeFen":{"$gt":0}}')).toEqual(['a'])
    expect(ids('{"at":{"$gte":{"$date":"2026-01-01T00:00:00Z"}}}')).toEqual(['c'])
    expect(ids('{"category":{"$regex":"^id"}}')).toEqual(['a', 'b'])
  })

  test('field=value pairs, typed values matching too', () => {
    expect(ids('category=id_card')).toEqual(['a', 'b'])
    expect(ids('category=id_card & order=1')).toEqual(['b'])
    expect(ids('category=id_card inPerson=true')).toEqual(['a'])
    expect(ids('feeFen=0')).toEqual(['b', 'c'])
    expect(ids('')).toEqual(['a', 'b', 'c'])
  })

  test('sorts by a field, either way', () => {
    expect(ids('', { field: 'order', dir: -1 })).toEqual(['a', 'b', 'c'])
    expect(ids('', { field: 'feeFen', dir: 1 })).toEqual(['b', 'c', 'a'])
  })

  test('bad filters are 400s with a plain message; scripts are never run', () => {
    for (const bad of [
      '{"category":',
      '["a"]',
      '{"a":{"$foo":1}}',
      '{"$where":"1"}',
      '{"$expr":{"$function":{"body":"x","args":[],"lang":"js"}}}',
      'just words',
      '$where=1'
    ]) {
      let caught: unknown
      try {
        ids(bad)
      } catch (err) {
        caught = err
      }
      expect(caught).toBeInstanceOf(ConsoleError)
      expect((caught as ConsoleError).status).toBe(400)
    }
  })

  test('paging: 20 / 50 / 100 per page; a page past the end is refused', () => {
    expect(parsePaging(new URLSearchParams(''))).toEqual({ size: 20, page: 1 })
    expect(() => parsePaging(new URLSearchParams('size=30'))).toThrow(ConsoleError)
    expect(() => parsePaging(new URLSearchParams('page=0'))).toThrow(ConsoleError)
    const all = Array.from({ length: 45 }, (_, i) => i)
    expect(pageOf(all, { size: 20, page: 3 })).toMatchObject({
      items: [40, 41, 42, 43, 44],
      pages: 3,
      total: 45
    })
    expect(() => pageOf(all, { size: 20, page: 4 })).toThrow(/超出范围/)
    expect(pageOf([], { size: 20, page: 1 })).toMatchObject({ items: [], pages: 1 })
  })
})
