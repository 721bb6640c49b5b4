/**
 * Charts drawn with plain Views (no chart library: one would cost ~0.5 MB of the subpackage).
 * Every bar carries its figure as text too — colour is never the only signal.
 */
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import { groupTrend, trendUnit, type TrendPoint } from './trend'

export type Tone = 'blue' | 'green' | 'orange' | 'red' | 'gray'

const clampPercent = (ratio: number) =>
  `${Math.max(0, Math.min(100, Number.isFinite(ratio) ? ratio * 100 : 0)).toFixed(1)}%`

/** A labelled horizontal bar: the label and the figure above, the bar below. */
export function HBar({
  label,
  ratio,
  text,
  tone = 'blue',
  testId,
  onClick,
  selected
}: {
  label: string
  ratio: number
  text: string
  tone?: Tone
  testId?: string
  onClick?: () => void
  selected?: boolean
}) {
  const className = `db-hbar${onClick ? ' db-tappable' : ''}${selected ? ' db-selected' : ''}`
  return (
    <View
      className={className}
      data-testid={testId}
      onClick={onClick}
      aria-label={`${label}：${text}`}
      role={onClick ? 'button' : undefined}
    >
      <View className="db-hbar-head">
        <Text className="db-hbar-label">
          {selected ? '✓ ' : ''}
          {label}
        </Text>
        <Text className="db-hbar-text">{text}</Text>
      </View>
      <View className="db-track">
        <View className={`db-fill db-${tone}`} style={{ width: clampPercent(ratio) }} />
      </View>
    </View>
  )
}

const UNIT_TEXT = { day: '按日', week: '按周', month: '按月' } as const

/** Satisfaction rate (upper bars) and number of ratings (lower bars) over the period. */
export function TrendChart({ points }: { points: TrendPoint[] }) {
  const unit = trendUnit(points.length)
  const bars = groupTrend(points, unit)
  const maxTotal = Math.max(1, ...bars.map((b) => b.total))
  const lastWithData = bars.reduce((found, b, i) => (b.total > 0 ? i : found), bars.length - 1)
  const [picked, setPicked] = useState<number | undefined>()
  const shown = bars[picked ?? lastWithData]
  const axis =
    bars.length > 2 ? [bars[0], bars[Math.floor((bars.length - 1) / 2)], bars[bars.length - 1]] : bars
  return (
    <View className="db-trend" data-testid="dash-trend" data-unit={unit}>
      <View className="muted db-small">
        <Text>
          {UNIT_TEXT[unit]}：上方为满意率（0–100%），下方为评价数（最多 {maxTotal} 条）；点柱子看数字
        </Text>
      </View>
      <View className="db-cols">
        {bars.map((b, i) => (
          <View
            key={b.start}
            className={i === (picked ?? lastWithData) ? 'db-col db-col-on' : 'db-col'}
            onClick={() => setPicked(i)}
            data-testid="dash-trend-bar"
            data-date={b.start}
            data-total={b.total}
            data-rate={b.satisfactionRate ?? ''}
            aria-label={`${b.label}：${b.satisfactionRate === null ? '无评价' : `满意率${b.satisfactionRate}%`}，评价${b.total}条`}
          >
            <View className="db-col-rate">
              {b.satisfactionRate === null ? (
                <View className="db-col-none" />
              ) : (
                <View className="db-col-fill db-blue" style={{ height: `${b.satisfactionRate}%` }} />
              )}
            </View>
            <View className="db-col-count">
              <View className="db-col-fill db-gray" style={{ height: clampPercent(b.total / maxTotal) }} />
            </View>
          </View>
        ))}
      </View>
      <View className="db-axis">{axis.map((b) => (b ? <Text key={b.start}>{b.label}</Text> : null))}</View>
      {shown ? (
        <View className="db-trend-detail" data-testid="dash-trend-detail">
          <Text>
            {shown.start}
            {shown.end !== shown.start ? ` 至 ${shown.end}` : ''}：
            {shown.total > 0
              ? `满意率 ${shown.satisfactionRate ?? '—'}%，评价 ${shown.total} 条`
              : '没有评价'}
          </Text>
        </View>
      ) : null}
    </View>
  )
}
