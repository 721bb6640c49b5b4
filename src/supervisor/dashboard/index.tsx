/**
 * 服务评价与业务量 — the supervisor's view (leaders see their own station): for a period, the
 * cases finished week by week; volumes by the window's five business types against the same days
 * last year; a row per officer (cases, handling time, ratings; tap one to filter); emergency
 * accept times (median and worst); satisfaction of the ratings (政务服务“好差评”), its five-level
 * distribution, by station and service; the open and overdue follow-ups of bad reviews; online
 * questions' response times; the queue numbers' waits per line and day (取号等候, queue.tsx);
 * the excluded reviews with their reasons; and the period's ratings as a CSV file. Charts and
 * tables are plain Views (bars.tsx, tables.tsx): no chart library.
 */
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { DashboardView } from '../../../types/dashboard'
import { LEVEL_TEXT, RATING_LEVELS, type Breakdown, type RatingLevel } from '../../../types/ratings'
import { ROLE_LABELS, type StaffView } from '../../../types/staff-admin'
import { addDays, isoWeekday, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { HBar, TrendBars, type Tone } from './bars'
import { OfficerTable, VolumeTable, changeText, minutes } from './tables'
import { PrereviewSection } from './prereviews'
import { QueueSection } from './queue'
import { saveCsv } from './export'
import { navigate } from '../../navigation'
import { Button, Chip } from '../../components/ui'
import type { PagePath } from '../../../types/routes'
import { useSubmit } from '../../components/use-submit'
import './index.css'

const PERIODS = [
  { key: 'month', label: '本月' },
  { key: '30d', label: '近30天' },
  { key: '12w', label: '近12周' },
  { key: 'year', label: '今年' }
] as const
type PeriodKey = (typeof PERIODS)[number]['key']

interface Filters {
  station?: { id: string; label: string }
  officer?: { id: string; label: string }
  /** Breakdown key: the service's name, as rating.dashboard filters it. */
  service?: { id: string; label: string }
}

const LEVEL_TONE: Record<RatingLevel, Tone> = {
  very_satisfied: 'green',
  satisfied: 'green',
  basic: 'blue',
  unsatisfied: 'orange',
  very_unsatisfied: 'red'
}

function periodOf(key: PeriodKey): { from: string; to: string } {
  const to = localDate(Date.now())
  if (key === 'month') return { from: `${to.slice(0, 7)}-01`, to }
  if (key === 'year') return { from: `${to.slice(0, 4)}-01-01`, to }
  // Twelve whole weeks, this one included: each bar of the trend is a Monday-to-Sunday week.
  if (key === '12w') return { from: addDays(to, 1 - isoWeekday(to) - 7 * 11), to }
  return { from: addDays(to, -29), to }
}

const pct = (n: number | null) => (n === null ? '—' : `${n.toFixed(1)}%`)
const num = (n: number | null, digits = 1) => (n === null ? '—' : n.toFixed(digits))

export default function Dashboard() {
  return <StaffOnly roles={['leader', 'supervisor']}>{(me) => <Figures me={me} />}</StaffOnly>
}

function Figures({ me }: { me: StaffView }) {
  const [period, setPeriod] = useState<PeriodKey>('30d')
  const [filters, setFilters] = useState<Filters>({})
  const { from, to } = periodOf(period)
  const input = {
    from,
    to,
    ...(filters.station ? { stationId: filters.station.id } : {}),
    ...(filters.officer ? { officerStaffId: filters.officer.id } : {}),
    ...(filters.service ? { serviceName: filters.service.id } : {})
  }
  const dash = useResult(() => call('rating', 'dashboard', input), JSON.stringify(input))
  const set = (patch: Filters) => setFilters((f) => ({ ...f, ...patch }))
  const active = filters.station || filters.officer || filters.service

  return (
    <PageShell testId="supervisor-dashboard">
      <View className="db">
        <View className="section-title">
          <Text>
            服务评价与业务量 · {me.name}（{ROLE_LABELS[me.role]}）
          </Text>
        </View>
        <View className="db-chips">
          {PERIODS.map((p) => (
            <Chip
              pill
              on={p.key === period}
              key={p.key}
              role="radio"
              ariaChecked={p.key === period}
              onClick={() => setPeriod(p.key)}
              testId={`dash-period-${p.key}`}
            >
              <Text>{p.label}</Text>
            </Chip>
          ))}
        </View>
        <View className="muted db-hint" data-testid="dash-period">
          <Text>
            {from} 至 {to}
            {me.role === 'leader' ? ` · ${me.stationName ?? '本所'}` : filters.station ? '' : ' · 全部窗口'}
          </Text>
        </View>
        {active ? (
          <View className="db-chips" data-testid="dash-filters">
            {filters.station ? (
              <Chip pill on={true} onClick={() => set({ station: undefined })} testId="dash-filter-station">
                <Text>窗口：{filters.station.label} ✕</Text>
              </Chip>
            ) : null}
            {filters.officer ? (
              <Chip pill on={true} onClick={() => set({ officer: undefined })} testId="dash-filter-officer">
                <Text>民警：{filters.officer.label} ✕</Text>
              </Chip>
            ) : null}
            {filters.service ? (
              <Chip pill on={true} onClick={() => set({ service: undefined })} testId="dash-filter-service">
                <Text>事项：{filters.service.label} ✕</Text>
              </Chip>
            ) : null}
            <Chip pill onClick={() => setFilters({})} testId="dash-clear-filters">
              <Text>清除筛选</Text>
            </Chip>
          </View>
        ) : null}

        <Pending result={dash} />
        {dash.status === 'ok' ? <Body d={dash.data} me={me} filters={filters} onFilter={set} /> : null}

        <Export from={from} to={to} stationId={filters.station?.id} />
        <View className="section-title">
          <Text>相关页面</Text>
        </View>
        <View className="db-links">
          <Link page="officer/ratings/index" testId="dash-link-ratings" text="评价与差评回访" />
          <Link page="officer/questions/index" testId="dash-link-questions" text="在线咨询（首问责任）" />
          <Link page="officer/feedback/index" testId="dash-link-feedback" text="意见簿" />
          {me.role === 'supervisor' ? (
            <Link page="supervisor/calendar/index" testId="dash-link-calendar" text="节假日与窗口停办" />
          ) : null}
          <Link page="supervisor/audit/index" testId="dash-link-audit" text="个人信息查阅记录" />
        </View>
      </View>
    </PageShell>
  )
}

function Link({ page, text, testId }: { page: PagePath; text: string; testId: string }) {
  return (
    <Button variant="secondary" className="db-link" onClick={() => navigate(page)} testId={testId}>
      {text}
    </Button>
  )
}

function Figure({
  label,
  value,
  testId,
  onClick,
  alert
}: {
  label: string
  value: string
  testId: string
  onClick?: () => void
  alert?: boolean
}) {
  return (
    <View
      className={`db-figure${onClick ? ' db-tappable' : ''}${alert ? ' db-figure-alert' : ''}`}
      onClick={onClick}
      role={onClick ? 'link' : undefined}
    >
      <Text className="db-figure-value" data-testid={testId}>
        {value}
      </Text>
      <Text className="db-figure-label">
        {label}
        {onClick ? ' ›' : ''}
      </Text>
    </View>
  )
}

function Body({
  d,
  me,
  filters,
  onFilter
}: {
  d: DashboardView
  me: StaffView
  filters: Filters
  onFilter: (patch: Filters) => void
}) {
  const { overall, followUps, emergencyAccept: em, volumes, questions } = d
  const openRatings = (status: 'open' | 'overdue') => navigate('officer/ratings/index', { status: status })
  const breakdown = (b: Breakdown) =>
    `满意率 ${pct(b.satisfactionRate)} · ${b.total}条 · 均分 ${num(b.averageScore, 2)}`
  const perDay = volumes.averagePerWorkingDay
  return (
    <View>
      <View className="card db-headline" data-testid="dash-headline">
        <Text>
          办结 <Text className="db-strong">{volumes.total}</Text> 件
          {volumes.lastYear.change === null ? '' : `，比去年同期${changeText(volumes.lastYear.change)}`}
          ；工作日 {volumes.workingDays} 天，日均接待{' '}
          <Text className="db-strong" data-testid="dash-volume-average">
            {num(perDay, perDay !== null && perDay < 1 ? 2 : 1)}
          </Text>{' '}
          人次
        </Text>
      </View>

      <View className="section-title">
        <Text>业务量走势</Text>
      </View>
      <View className="card">
        {d.trend.length > 0 ? <TrendBars points={d.trend} /> : <Text>这段时间没有数据</Text>}
      </View>

      <View className="section-title">
        <Text>分类业务量</Text>
      </View>
      <View className="muted db-hint">
        <Text>本期与去年同期（同样的日期）比较</Text>
      </View>
      <View className="card" data-testid="dash-volumes">
        <VolumeTable volumes={volumes} />
      </View>

      <View className="section-title">
        <Text>民警办件与评价</Text>
      </View>
      <View className="muted db-hint">
        <Text>办理用时从开始办理到办结；点姓名只看他经办业务的评价</Text>
      </View>
      <View className="card">
        <OfficerTable
          rows={d.officers}
          selected={filters.officer?.id}
          onPick={(o) => onFilter({ officer: { id: o.staffId, label: o.name } })}
        />
      </View>

      <QueueSection queue={d.queue} />

      <PrereviewSection figures={d.prereviews} officerFiltered={filters.officer !== undefined} />

      <View className="section-title">
        <Text>急事受理用时</Text>
      </View>
      <View className="muted db-hint">
        <Text>绿色通道：从居民提交到民警受理</Text>
      </View>
      <View className="card db-figures" data-testid="dash-emergency">
        <Figure label="受理件数" value={String(em.count)} testId="dash-emergency-count" />
        <Figure label="受理用时中位数" value={minutes(em.medianMinutes)} testId="dash-emergency-median" />
        <Figure label="最长受理用时" value={minutes(em.maxMinutes)} testId="dash-emergency-max" />
        <Figure label="按时受理" value={`${em.withinLimit} / ${em.count}`} testId="dash-emergency-within" />
      </View>

      <View className="section-title">
        <Text>服务评价</Text>
      </View>
      <View className="card db-figures" data-testid="dash-overall">
        <Figure label="满意率" value={pct(overall.satisfactionRate)} testId="dash-satisfaction-rate" />
        <Figure label="评价数" value={String(overall.total)} testId="dash-total" />
        <Figure label="平均分（满分5分）" value={num(overall.averageScore, 2)} testId="dash-average-score" />
        <Figure label="差评率" value={pct(overall.badRate)} testId="dash-bad-rate" />
        <Figure label="已剔除（不计入）" value={String(overall.excluded)} testId="dash-excluded" />
      </View>
      <View className="muted db-hint">
        <Text>满意率 =（非常满意 + 满意 + 基本满意）÷ 评价数；剔除的评价不计入。</Text>
      </View>

      <View className="section-title">
        <Text>五级评价分布</Text>
      </View>
      <View className="card">
        {RATING_LEVELS.map((level) => {
          const count = overall.counts[level]
          const share = overall.total > 0 ? count / overall.total : 0
          return (
            <HBar
              key={level}
              label={LEVEL_TEXT[level]}
              ratio={share}
              tone={LEVEL_TONE[level]}
              text={`${count}条（${(share * 100).toFixed(1)}%）`}
              testId={`dash-level-${level}`}
            />
          )
        })}
      </View>

      <View className="section-title">
        <Text>差评回访整改</Text>
      </View>
      <View className="card">
        <View className="db-figures">
          <Figure
            label="未办结"
            value={String(followUps.open)}
            testId="dash-followups-open"
            onClick={() => openRatings('open')}
          />
          <Figure
            label="已超期"
            value={String(followUps.overdue)}
            testId="dash-followups-overdue"
            onClick={() => openRatings('overdue')}
            alert={followUps.overdue > 0}
          />
          <Figure label="已办结" value={String(followUps.closed)} testId="dash-followups-closed" />
          <Figure
            label="整改满意 / 已评价"
            value={`${followUps.rectificationSatisfied} / ${followUps.rectificationRated}`}
            testId="dash-rect-satisfied"
          />
        </View>
        {followUps.items.slice(0, 5).map((f) => (
          <View
            key={f._id}
            className="db-row db-tappable"
            onClick={() => openRatings(f.overdue ? 'overdue' : 'open')}
            data-testid="dash-followup-item"
            data-id={f._id}
          >
            <Text>
              {f.levelText} · {f.serviceName}
              {f.officerName ? ` · ${f.officerName}` : ''} · {f.statusText}
            </Text>
            {f.overdue ? (
              <Text className="db-alert">（已超期：{f.overdue === 'callback' ? '回访' : '答复'}）</Text>
            ) : null}
          </View>
        ))}
        {followUps.items.length > 5 ? (
          <View className="muted">
            <Text>另有 {followUps.items.length - 5} 条，点“未办结”查看全部</Text>
          </View>
        ) : null}
      </View>

      <Breakdowns
        title="评价按窗口"
        kind="station"
        items={me.role === 'supervisor' ? d.byStation : []}
        text={breakdown}
        selected={filters.station?.id}
        onPick={(b) => onFilter({ station: { id: b.key, label: b.label } })}
      />
      <Breakdowns
        title="评价按事项"
        kind="service"
        items={d.byService}
        text={breakdown}
        selected={filters.service?.id}
        onPick={(b) => onFilter({ service: { id: b.key, label: b.label } })}
      />

      <View className="section-title">
        <Text>在线咨询（首问责任）</Text>
      </View>
      <View className="card db-figures" data-testid="dash-questions">
        <Figure label="咨询" value={String(questions.asked)} testId="dash-questions-asked" />
        <Figure label="已答复" value={String(questions.answered)} testId="dash-questions-answered" />
        <Figure
          label="待答复"
          value={String(questions.open)}
          testId="dash-questions-open"
          alert={questions.open > 0}
        />
        <Figure
          label="平均首次响应"
          value={minutes(questions.averageFirstResponseMinutes)}
          testId="dash-questions-first-response"
        />
        <Figure
          label="平均答复用时"
          value={minutes(questions.averageAnswerMinutes)}
          testId="dash-questions-answer"
        />
      </View>

      <View className="section-title">
        <Text>剔除的评价（{d.exclusions.length}）</Text>
      </View>
      <View className="card" data-testid="dash-exclusions">
        {d.exclusions.length === 0 ? <Text className="muted">没有剔除的评价</Text> : null}
        {d.exclusions.map((x) => (
          <View key={x.ratingId} className="db-row" data-testid="dash-exclusion" data-id={x.ratingId}>
            <Text>
              {x.levelText} · {x.serviceName} · 理由：{x.reason}（{x.by}，{x.atLocal}）
            </Text>
          </View>
        ))}
      </View>
      <View className="muted db-hint">
        <Text>数据截至 {localDate(d.generatedAt)}，以往日期读取每日汇总，今天实时计算。</Text>
      </View>
    </View>
  )
}

function Breakdowns({
  title,
  kind,
  items,
  text,
  selected,
  onPick
}: {
  title: string
  kind: 'station' | 'service'
  items: Breakdown[]
  text: (b: Breakdown) => string
  selected: string | undefined
  onPick: (b: Breakdown) => void
}) {
  if (items.length === 0) return null
  return (
    <View>
      <View className="section-title">
        <Text>{title}（点击筛选）</Text>
      </View>
      <View className="card" data-testid={`dash-by-${kind}`}>
        {items.map((b) => (
          <HBar
            key={b.key}
            label={b.label}
            ratio={(b.satisfactionRate ?? 0) / 100}
            text={text(b)}
            testId={`dash-${kind}-${b.key}`}
            selected={selected === b.key}
            onClick={() => onPick(b)}
          />
        ))}
      </View>
    </View>
  )
}

function Export({ from, to, stationId }: { from: string; to: string; stationId: string | undefined }) {
  const sending = useSubmit()
  const busy = sending.busy
  const [message, setMessage] = useState<string | undefined>()

  async function run() {
    if (busy) return
    const res = await sending.submit(async () => {
      const exported = await call('rating', 'export', { from, to, ...(stationId ? { stationId } : {}) })
      if (!exported.ok) return exported
      const saved = await saveCsv(exported.data.fileName, exported.data.csv)
      return { ok: true as const, data: { ...exported.data, saved } }
    })
    if (!res.ok) return setMessage(res.error.message)
    const { saved } = res.data
    setMessage(
      saved.saved
        ? `${saved.message}（${res.data.rows} 条评价${res.data.truncated ? '，超出上限的未导出，请缩短时间段分次导出' : ''}；手机号已隐去中间四位）`
        : saved.message
    )
  }

  return (
    <View className="card">
      <Button onClick={() => void run()} busy={busy} testId="dash-export">
        {busy ? '正在导出…' : `导出 ${from} 至 ${to} 的评价（CSV）`}
      </Button>
      {message ? (
        <View className="db-export-message" role="status" data-testid="dash-export-message">
          <Text>{message}</Text>
        </View>
      ) : null}
    </View>
  )
}
