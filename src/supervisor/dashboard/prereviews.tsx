/**
 * 材料预审: the pre-reviews first submitted in the period, the share passed at the first review,
 * and the trips saved (sent back at least once, then passed before the visit). Nothing when none
 * was submitted. How they are counted: docs/materials-and-cards.md ("Figures").
 */
import { Text, View } from '@tarojs/components'
import type { DashboardView } from '../../../types/dashboard'

function Cell({ value, label, testId }: { value: string; label: string; testId: string }) {
  return (
    <View className="db-ot-cell">
      <Text className="db-ot-value" data-testid={testId}>
        {value}
      </Text>
      <Text className="db-figure-label">{label}</Text>
    </View>
  )
}

export function PrereviewSection({
  figures,
  officerFiltered
}: {
  figures: DashboardView['prereviews']
  /** The dashboard is filtered by officer: a pre-review has none, so these stay the station's. */
  officerFiltered: boolean
}) {
  if (figures.submitted === 0) return null
  return (
    <View data-testid="dash-prereviews">
      <View className="section-title">
        <Text>材料预审</Text>
      </View>
      <View className="muted db-hint">
        <Text>少跑一趟：材料被退回补正、改正后通过（且未撤回）的，算作少跑了一趟</Text>
        {officerFiltered ? (
          <Text data-testid="dash-prereviews-unfiltered">
            。预审不分民警，这里是全所（按事项筛选时为该事项）的数字
          </Text>
        ) : null}
      </View>
      <View className="card db-table">
        <View className="db-ot-cells db-qt-cells">
          <Cell value={String(figures.submitted)} label="提交预审" testId="dash-prereviews-submitted" />
          <Cell
            value={figures.firstPassRate === null ? '—' : `${figures.firstPassRate}%`}
            label={`首审通过率（已审${figures.reviewed}）`}
            testId="dash-prereviews-first-pass"
          />
          <Cell value={String(figures.tripsSaved)} label="少跑一趟" testId="dash-prereviews-trips" />
        </View>
      </View>
    </View>
  )
}
