/**
 * The dashboard's two tables, drawn with plain Views so they fold on a narrow phone and in elder
 * mode (the CSS stacks each row): volumes by business type against the same days last year, and
 * one row per officer.
 */
import { Text, View } from '@tarojs/components'
import type { DashboardView, OfficerRow } from '../../../types/dashboard'

/** 12分钟, 1小时5分钟; — when there is nothing to show. */
export function minutes(n: number | null): string {
  if (n === null) return '—'
  const m = Math.round(n)
  return m < 60 ? `${m}分钟` : `${Math.floor(m / 60)}小时${m % 60 ? `${m % 60}分钟` : ''}`
}

/** ↑300%, ↓25%, 持平; — when last year had none to compare with. */
export function changeText(change: number | null): string {
  if (change === null) return '—'
  if (change === 0) return '持平'
  return `${change > 0 ? '↑' : '↓'}${Math.abs(change)}%`
}

export function VolumeTable({ volumes }: { volumes: DashboardView['volumes'] }) {
  const last = volumes.lastYear
  return (
    <View className="db-table" data-testid="dash-volume-table">
      <View className="db-vt-row db-vt-head">
        <Text className="db-vt-label">类别</Text>
        <Text className="db-vt-num">本期</Text>
        <Text className="db-vt-num">去年同期</Text>
        <Text className="db-vt-num">同比</Text>
      </View>
      {volumes.byType.map((v) => (
        <View
          key={v.type}
          className="db-vt-row"
          data-testid={`dash-volume-${v.type}`}
          aria-label={`${v.label}：本期${v.count}件，去年同期${v.lastYear}件，同比${changeText(v.change)}`}
        >
          <Text className="db-vt-label">{v.label}</Text>
          <Text className="db-vt-num" data-testid={`dash-volume-${v.type}-count`}>
            {v.count}
          </Text>
          <Text className="db-vt-num" data-testid={`dash-volume-${v.type}-last`}>
            {v.lastYear}
          </Text>
          <Text className="db-vt-num" data-testid={`dash-volume-${v.type}-change`}>
            {changeText(v.change)}
          </Text>
        </View>
      ))}
      <View className="db-vt-row db-vt-total" data-testid="dash-volume-sum">
        <Text className="db-vt-label">合计</Text>
        <Text className="db-vt-num" data-testid="dash-volume-total">
          {volumes.total}
        </Text>
        <Text className="db-vt-num" data-testid="dash-volume-last-total">
          {last.total}
        </Text>
        <Text className="db-vt-num" data-testid="dash-volume-change">
          {changeText(last.change)}
        </Text>
      </View>
      <View className="muted db-small db-vt-note">
        <Text>
          去年同期：{last.from} 至 {last.to}
        </Text>
      </View>
    </View>
  )
}

function Cell({
  value,
  label,
  alert,
  testId
}: {
  value: string
  label: string
  alert?: boolean
  testId: string
}) {
  return (
    <View className={`db-ot-cell${alert ? ' db-figure-alert' : ''}`}>
      <Text className="db-ot-value" data-testid={testId}>
        {value}
      </Text>
      <Text className="db-figure-label">{label}</Text>
    </View>
  )
}

export function OfficerTable({
  rows,
  selected,
  onPick
}: {
  rows: OfficerRow[]
  selected: string | undefined
  onPick: (row: OfficerRow) => void
}) {
  if (rows.length === 0) return <Text className="muted">这段时间没有办结的业务</Text>
  return (
    <View className="db-table" data-testid="dash-officers">
      {rows.map((o) => (
        <View
          key={o.staffId}
          className={`db-ot-row${selected === o.staffId ? ' db-selected' : ''}`}
          data-testid="dash-officer"
          data-id={o.staffId}
        >
          <View
            className="db-ot-name db-tappable"
            role="button"
            onClick={() => onPick(o)}
            data-testid={`dash-officer-${o.staffId}`}
          >
            <Text>
              {selected === o.staffId ? '✓ ' : ''}
              {o.name} ›
            </Text>
          </View>
          <View className="db-ot-cells">
            <Cell value={String(o.finished)} label="办结件数" testId="dash-officer-finished" />
            <Cell value={minutes(o.averageHandlingMinutes)} label="平均办理" testId="dash-officer-handling" />
            <Cell
              value={o.averageScore === null ? '—' : o.averageScore.toFixed(2)}
              label={`均分（${o.ratings}条）`}
              testId="dash-officer-score"
            />
            <Cell value={String(o.badCount)} label="差评" alert={o.badCount > 0} testId="dash-officer-bad" />
          </View>
        </View>
      ))}
    </View>
  )
}
