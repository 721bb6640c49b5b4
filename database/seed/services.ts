/**
 * Demo service guide (办事指南) for the demo station. Materials, fees and time limits follow the
 * national rules (居民身份证法, 临时居民身份证管理办法, 户口登记条例) as a county window applies them;
 * the wording and the promised times are the fictional station's own.
 */
import type { ServiceItem } from '../../types/guide'
import { DEMO_STATION_ID } from './stations'

type Seed = Omit<ServiceItem, 'stationId' | 'bookable' | 'resource'> &
  Partial<Pick<ServiceItem, 'bookable' | 'resource'>>

const hukouBook = { name: '居民户口簿', note: '原件', required: true }
const idCard = { name: '本人居民身份证', note: '原件', required: true }

const seeds: Seed[] = [
  {
    _id: 'svc-idcard-first',
    category: 'id_card',
    name: '居民身份证首次申领',
    summary: '第一次办理居民身份证，年满16周岁应当申领，未满16周岁可以申领。',
    eligibility: '户籍在本所辖区、从未办理过居民身份证的居民',
    materials: [
      hukouBook,
      { name: '监护人居民身份证', note: '未满16周岁由监护人陪同并出示', required: false }
    ],
    feeFen: 2000,
    feeNote: '工本费；享受最低生活保障的居民免收',
    statutoryLimit: { kind: 'days', days: 60, working: false },
    promisedLimit: { kind: 'days', days: 15, working: true },
    inPerson: true,
    inPersonReason: '需现场采集人像和指纹',
    steps: [
      '窗口取号或按预约时间到达',
      '核验户口簿',
      '现场拍照、采集指纹',
      '缴纳工本费',
      '领取回执，按约定时间领证或选择邮寄'
    ],
    basis: '《中华人民共和国居民身份证法》第八条、第九条',
    keywords: ['身份证', '第一次', '首次', '办证', '16岁'],
    order: 1
  },
  {
    _id: 'svc-idcard-renew',
    category: 'id_card',
    name: '居民身份证换领',
    summary: '身份证有效期满、临近期满（3个月内）、登记项目变更或证件严重损坏时换领。',
    eligibility: '持有居民身份证的本县户籍居民；外地户籍可异地换领',
    materials: [
      { name: '原居民身份证', note: '原件，损坏的一并交回', required: true },
      { name: '居民户口簿', note: '本县户籍居民携带', required: false }
    ],
    feeFen: 2000,
    feeNote: '工本费',
    statutoryLimit: { kind: 'days', days: 60, working: false },
    promisedLimit: { kind: 'days', days: 15, working: true },
    inPerson: true,
    inPersonReason: '需现场采集人像和指纹',
    steps: [
      '按预约时间到达窗口',
      '交验原证件',
      '现场拍照、采集指纹',
      '缴纳工本费',
      '领取回执，领证时交回旧证'
    ],
    basis: '《中华人民共和国居民身份证法》第十一条',
    keywords: ['身份证', '到期', '过期', '换证', '损坏'],
    order: 2
  },
  {
    _id: 'svc-idcard-replace',
    category: 'id_card',
    name: '居民身份证补领',
    summary: '身份证丢失后补领；丢失后请尽快挂失，补领后原证作废。',
    eligibility: '居民身份证丢失的居民；外地户籍可异地补领',
    materials: [{ name: '居民户口簿', note: '本县户籍居民携带', required: false }],
    feeFen: 4000,
    feeNote: '工本费',
    statutoryLimit: { kind: 'days', days: 60, working: false },
    promisedLimit: { kind: 'days', days: 15, working: true },
    inPerson: true,
    inPersonReason: '需现场采集人像和指纹',
    steps: ['按预约时间到达窗口', '核验身份', '现场拍照、采集指纹', '缴纳工本费', '领取回执'],
    basis: '《中华人民共和国居民身份证法》第十一条',
    keywords: ['身份证', '丢失', '遗失', '补办', '补领', '挂失'],
    order: 3
  },
  {
    _id: 'svc-idcard-temporary',
    category: 'id_card',
    name: '临时居民身份证',
    summary: '正在申领、换领、补领居民身份证期间，急需乘机、就医、办事的，可同时申领临时身份证。',
    eligibility: '已受理居民身份证申领、换领或补领的居民',
    materials: [{ name: '居民身份证受理回执', required: true }, hukouBook],
    feeFen: 1000,
    feeNote: '工本费',
    statutoryLimit: { kind: 'days', days: 3, working: false },
    promisedLimit: { kind: 'instant' },
    inPerson: true,
    inPersonReason: '需现场拍照',
    steps: ['说明急需用途', '现场拍照', '缴纳工本费', '当场领取临时身份证（有效期3个月）'],
    basis: '《中华人民共和国临时居民身份证管理办法》第七条',
    keywords: ['临时身份证', '坐飞机', '乘机', '就医', '急用'],
    order: 4
  },
  {
    _id: 'svc-cert-hukou',
    category: 'certificate',
    name: '户籍证明开具',
    summary: '开具户籍信息、亲属关系等户籍类证明。能通过户口簿证明的，不再另开证明。',
    eligibility: '本所辖区户籍居民或其委托人',
    materials: [
      idCard,
      hukouBook,
      { name: '委托书及受托人身份证', note: '委托他人办理时提供', required: false },
      { name: '需要证明事项的单位出具的书面说明', required: false }
    ],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 5, working: true },
    promisedLimit: { kind: 'instant' },
    inPerson: false,
    steps: ['窗口说明证明用途', '核验身份和户籍信息', '当场出具证明'],
    basis: '公安部关于规范派出所出具证明工作的意见',
    keywords: ['证明', '户口证明', '开证明', '亲属关系', '户籍信息', '户口簿'],
    order: 1
  },
  {
    _id: 'svc-reg-birth',
    category: 'registration',
    name: '出生登记',
    summary: '婴儿出生后一个月以内，由户主、亲属或监护人申报出生登记。',
    eligibility: '父亲或母亲一方户籍在本所辖区的新生儿',
    materials: [
      { name: '出生医学证明', note: '原件', required: true },
      { name: '父母双方居民身份证', required: true },
      { name: '父母双方居民户口簿', required: true },
      { name: '结婚证', note: '非婚生育的，提供相关说明', required: false }
    ],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 5, working: true },
    promisedLimit: { kind: 'instant' },
    inPerson: false,
    steps: ['预约或现场取号', '交验材料', '窗口录入出生登记', '当场在户口簿上打印新生儿户口页'],
    basis: '《中华人民共和国户口登记条例》第七条',
    keywords: ['出生', '新生儿', '上户口', '落户', '报户口', '孩子', '户口簿'],
    order: 1
  },
  {
    _id: 'svc-reg-move-in',
    category: 'registration',
    name: '户口迁入',
    summary: '投靠亲属、购房、就业、升学等迁入本县落户；跨省迁移实行“一站式”，在迁入地直接办理。',
    eligibility: '符合本县落户条件的人员',
    materials: [
      idCard,
      { name: '原户籍地居民户口簿', required: true },
      { name: '落户依据材料', note: '如结婚证、房屋不动产权证书、劳动合同等', required: true }
    ],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 20, working: true },
    promisedLimit: { kind: 'days', days: 5, working: true },
    inPerson: true,
    inPersonReason: '需本人签名确认',
    steps: ['窗口提交材料', '民警审核落户条件', '审核通过后办理迁入', '领取新的户口页'],
    basis: '《中华人民共和国户口登记条例》第十三条',
    keywords: ['迁户口', '迁入', '落户', '投靠', '购房落户', '跨省', '户口簿'],
    order: 2
  },
  {
    _id: 'svc-reg-move-out',
    category: 'registration',
    name: '户口迁出',
    summary: '持迁入地准予迁入证明办理迁出；实行“跨省通办”的，由迁入地直接办理，无需回本所。',
    eligibility: '户籍在本所辖区、已取得迁入地准迁证明的居民',
    materials: [hukouBook, idCard, { name: '准予迁入证明', note: '省内迁移时提供', required: false }],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 5, working: true },
    promisedLimit: { kind: 'instant' },
    inPerson: false,
    steps: ['窗口交验材料', '核对准迁信息', '开具户口迁移证或完成网上迁移'],
    basis: '《中华人民共和国户口登记条例》第十条',
    keywords: ['迁出', '迁户口', '准迁证', '迁移证', '户口簿'],
    order: 3
  },
  {
    _id: 'svc-reg-death',
    category: 'registration',
    name: '死亡注销户口',
    summary: '公民死亡后一个月以内，由户主、亲属或邻居申报注销户口；火化需要的，可走绿色通道。',
    eligibility: '户籍在本所辖区的死亡人员的亲属',
    materials: [
      { name: '居民死亡医学证明（推断）书', note: '原件', required: true },
      { name: '死者的居民户口簿和居民身份证', required: true },
      { name: '申报人居民身份证', required: true }
    ],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 5, working: true },
    promisedLimit: { kind: 'instant' },
    inPerson: false,
    steps: ['窗口或值班民警处交验材料', '核对死亡信息', '注销户口并在死亡证明上签注', '交回死者居民身份证'],
    basis: '《中华人民共和国户口登记条例》第八条',
    keywords: ['死亡', '注销', '销户', '火化', '殡葬', '绿色通道', '户口簿'],
    order: 4
  },
  {
    _id: 'svc-corr-items',
    category: 'correction',
    name: '户口登记项目更正',
    summary: '出生日期、民族、姓名、性别等户口登记项目登记错误的，凭原始材料申请更正。',
    eligibility: '户口登记项目有误的本所辖区户籍居民',
    materials: [
      hukouBook,
      idCard,
      { name: '原始证明材料', note: '如出生医学证明、入学档案、原始户籍底册等', required: true }
    ],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 20, working: true },
    promisedLimit: { kind: 'days', days: 10, working: true },
    inPerson: true,
    inPersonReason: '需本人签名确认',
    steps: ['窗口提交申请和原始材料', '民警调查核实', '所领导审批', '更正户口登记并通知本人'],
    basis: '《中华人民共和国户口登记条例》第十八条',
    keywords: ['更正', '出生日期', '民族', '性别', '登记错误', '改错', '户口簿'],
    order: 1
  },
  {
    _id: 'svc-corr-name',
    category: 'correction',
    name: '姓名变更登记',
    summary: '未满18周岁由父母或监护人申请；年满18周岁由本人申请，须有正当理由。',
    eligibility: '本所辖区户籍居民',
    materials: [hukouBook, idCard, { name: '变更理由的证明材料', required: true }],
    feeFen: 0,
    statutoryLimit: { kind: 'days', days: 20, working: true },
    promisedLimit: { kind: 'days', days: 10, working: true },
    inPerson: true,
    inPersonReason: '需本人签名确认',
    steps: ['窗口提交申请', '民警审核理由', '所领导审批', '变更登记后换领居民身份证'],
    basis: '《中华人民共和国户口登记条例》第十八条；《中华人民共和国民法典》第一千零一十六条',
    keywords: ['改名', '姓名变更', '更名', '户口簿'],
    order: 2
  },
  {
    _id: 'svc-consult-policy',
    category: 'consultation',
    name: '户籍政策咨询',
    summary: '落户条件、迁移政策、证件办理等问题，可电话、线上留言或到窗口咨询。',
    eligibility: '所有居民',
    materials: [],
    feeFen: 0,
    statutoryLimit: { kind: 'instant' },
    promisedLimit: { kind: 'instant' },
    inPerson: false,
    steps: ['拨打咨询电话或到窗口', '首问民警负责解答到底'],
    basis: '首问责任制',
    keywords: ['咨询', '问题', '政策', '落户条件'],
    order: 1
  }
]

// ID cards need the photo and fingerprint room; consultations are not booked.
export const services: ServiceItem[] = seeds.map((s) => ({
  ...s,
  stationId: DEMO_STATION_ID,
  bookable: s.bookable ?? s.category !== 'consultation',
  resource: s.resource ?? (s.category === 'id_card' ? 'capture' : 'window')
}))
