/**
 * 个人信息查阅记录 — who among the staff read residents' personal data, when, and how many
 * records (the audit log; record ids only, never the data itself). Leaders see their station,
 * supervisors theirs or every station. Newest first; the server caps the list and says so.
 */
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { AUDIT_RECORD_KIND_LABELS, ROLE_LABELS, type StaffView } from '../../../types/staff-admin'
import { addDays, localDate } from '../../../types/time'
import { call } from '../../api/client'
import { PageShell } from '../../components/page-shell'
import { StaffOnly } from '../../components/staff-only'
import { Pending } from '../../components/states'
import { useResult } from '../../components/use-result'
import { Chip } from '../../components/ui'
import '../../components/staff-ui.css'
import './index.css'

const PERIODS = [
  { key: 'today', label: '今天', days: 0 },
  { key: '7d', label: '近7天', days: 6 },
  { key: '30d', label: '近30天', days: 29 }
] as const
type PeriodKey = (typeof PERIODS)[number]['key']

export default function AuditPage() {
  return <StaffOnly roles={['leader', 'supervisor']}>{(me) => <Entries me={me} />}</StaffOnly>
}

function Entries({ me }: { me: StaffView }) {
  const [period, setPeriod] = useState<PeriodKey>('7d')
  const to = localDate(Date.now())
  const from = addDays(to, -(PERIODS.find((p) => p.key === period)?.days ?? 6))
  const input = { from, to, ...(me.role === 'leader' && me.stationId ? { stationId: me.stationId } : {}) }
  const log = useResult(() => call('staff', 'audit', input), JSON.stringify(input))
  return (
    <PageShell testId="audit">
      <View className="au staff-page">
        <View className="card">
          <Text>
            工作人员每次查看居民的姓名、手机号等个人信息都会记录在此：谁、何时、查看了哪类记录、几条。记录只保存编号，不保存个人信息本身。
          </Text>
        </View>
        <View className="au-periods" role="radiogroup">
          {PERIODS.map((p) => (
            <Chip
              pill
              on={p.key === period}
              key={p.key}
              role="radio"
              ariaChecked={p.key === period}
              onClick={() => setPeriod(p.key)}
              testId={`audit-period-${p.key}`}
            >
              <Text>{p.label}</Text>
            </Chip>
          ))}
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
                  <Text>
                    {e.staffNameMasked}（{ROLE_LABELS[e.role]}）
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
            <Text>记录较多，只显示最近的部分，请缩短时间段查看。</Text>
          </View>
        ) : null}
      </View>
    </PageShell>
  )
}
