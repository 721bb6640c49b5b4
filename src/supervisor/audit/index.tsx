/**
 * 个人信息查阅记录 — who among the staff read residents' personal data, when, and how many
 * records (the audit log; record ids only, never the data itself). Leaders see their station,
 * supervisors theirs or every station. Staff are named in full; the log is narrowed by days
 * (quick periods, or both ends picked on a calendar) and by member of staff (picked from a list).
 * Newest first; the server caps the list and says so.
 */
import { Picker, Text, View } from '@tarojs/components'
import { useState } from 'react'
import {
  AUDIT_RECORD_KIND_LABELS,
  AUDIT_REPEAT_MINUTES,
  ROLE_LABELS,
  type AuditPerson,
  type StaffView
} from '../../../types/staff-admin'
import { addDays, formatLocalDate, localDate, type LocalDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Chip, Field } from '../../components/ui'
import '../../components/staff-ui.css'
import './index.css'

const PERIODS = [
  { key: 'today', label: '今天', days: 0 },
  { key: '7d', label: '近7天', days: 6 },
  { key: '30d', label: '近30天', days: 29 }
] as const

/** The longest range the server answers (two months). */
const MAX_SPAN_DAYS = 62
/** How far back the calendar reaches. */
const EARLIEST_DAYS_BACK = 366

export default function AuditPage() {
  return <StaffOnly roles={['leader', 'supervisor']}>{(me) => <Entries me={me} />}</StaffOnly>
}

const personLabel = (p: AuditPerson) => `${p.name}（${ROLE_LABELS[p.role]}${p.active ? '' : '，已停用'}）`

function Entries({ me }: { me: StaffView }) {
  const today = localDate(Date.now())
  const [range, setRange] = useState<{ from: LocalDate; to: LocalDate }>({
    from: addDays(today, -6),
    to: today
  })
  const [staffId, setStaffId] = useState<string | undefined>()
  const [people, setPeople] = useState<AuditPerson[]>([])
  const input = {
    ...range,
    ...(staffId ? { staffId } : {}),
    ...(me.role === 'leader' && me.stationId ? { stationId: me.stationId } : {})
  }
  const log = useResult(async () => {
    const res = await call('staff', 'audit', input)
    if (res.ok) setPeople(res.data.people)
    return res
  }, JSON.stringify(input))

  // Picking one end moves the other when the range would run backwards or past two months.
  const pickFrom = (from: LocalDate) =>
    setRange(({ to }) => ({
      from,
      to: to < from ? from : to > addDays(from, MAX_SPAN_DAYS) ? addDays(from, MAX_SPAN_DAYS) : to
    }))
  const pickTo = (to: LocalDate) =>
    setRange(({ from }) => ({
      to,
      from: from > to ? to : from < addDays(to, -MAX_SPAN_DAYS) ? addDays(to, -MAX_SPAN_DAYS) : from
    }))

  const chosen = people.find((p) => p.staffId === staffId)
  const names = ['全部工作人员', ...people.map(personLabel)]

  return (
    <PageShell testId="audit">
      <View className="au staff-page">
        <View className="card">
          <Text>
            {`工作人员查看居民的姓名、手机号等个人信息都会记录在此：谁、何时、查看了哪类记录、几条。记录只保存编号，不保存个人信息本身。同一人${AUDIT_REPEAT_MINUTES}分钟内重复查看同一批记录，只记一次。`}
          </Text>
        </View>
        <View className="card au-filters">
          <View className="au-periods" role="radiogroup">
            {PERIODS.map((p) => {
              const on = range.to === today && range.from === addDays(today, -p.days)
              return (
                <Chip
                  pill
                  on={on}
                  key={p.key}
                  role="radio"
                  ariaChecked={on}
                  onClick={() => setRange({ from: addDays(today, -p.days), to: today })}
                  testId={`audit-period-${p.key}`}
                >
                  <Text>{p.label}</Text>
                </Chip>
              )
            })}
          </View>
          <Field label="日期（最长两个月）">
            <View className="au-range">
              <Picker
                mode="date"
                value={range.from}
                start={addDays(today, -EARLIEST_DAYS_BACK)}
                end={today}
                onChange={(e) => pickFrom(String(e.detail.value))}
              >
                <View className="form-input picker-value" data-testid="audit-from">
                  <Text>{formatLocalDate(range.from)}</Text>
                </View>
              </Picker>
              <Text className="au-to">至</Text>
              <Picker
                mode="date"
                value={range.to}
                start={addDays(today, -EARLIEST_DAYS_BACK)}
                end={today}
                onChange={(e) => pickTo(String(e.detail.value))}
              >
                <View className="form-input picker-value" data-testid="audit-to">
                  <Text>{formatLocalDate(range.to)}</Text>
                </View>
              </Picker>
            </View>
          </Field>
          <Field label="工作人员">
            <Picker
              mode="selector"
              range={names}
              value={chosen ? people.indexOf(chosen) + 1 : 0}
              onChange={(e) => setStaffId(people[Number(e.detail.value) - 1]?.staffId)}
            >
              <View className="form-input picker-value" data-testid="audit-staff">
                <Text>{chosen ? personLabel(chosen) : '全部工作人员'}</Text>
              </View>
            </Picker>
          </Field>
        </View>
        <Pending result={log} />
        {log.status === 'ok' && log.data.entries.length === 0 ? (
          <View className="notice" data-testid="audit-empty">
            <Text>这段时间没有查阅记录。</Text>
          </View>
        ) : null}
        {log.status === 'ok'
          ? log.data.entries.map((e) => (
              <View key={e._id} className="card au-entry" data-testid="audit-entry">
                <View className="au-line">
                  <Text className="au-when">{e.atLocal}</Text>
                  <Text data-testid="audit-who">
                    {e.staffName}（{ROLE_LABELS[e.role]}）
                  </Text>
                </View>
                <Text className="au-what" data-testid="audit-action">
                  {e.actionLabel}
                </Text>
                <Text className="muted" data-testid="audit-count">
                  {AUDIT_RECORD_KIND_LABELS[e.recordKind]} {e.recordCount} 条
                </Text>
              </View>
            ))
          : null}
        {log.status === 'ok' && log.data.truncated ? (
          <View className="notice" data-testid="audit-truncated">
            <Text>记录较多，只显示最近的部分，请缩短时间段或选择工作人员查看。</Text>
          </View>
        ) : null}
      </View>
    </PageShell>
  )
}
