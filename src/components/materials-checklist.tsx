import { Text, View } from '@tarojs/components'
import type { Material } from '../../types/guide'

/** The materials to bring, numbered, "(视情况)" where only some cases need it. */
export function MaterialsChecklist({
  materials,
  testId
}: {
  materials: readonly Material[]
  testId?: string
}) {
  return (
    <View className="card" data-testid={testId}>
      {materials.map((m, i) => (
        <View key={m.name} className="checklist-item">
          <Text>
            {i + 1}. {m.name}
            {m.required ? '' : '（视情况）'}
            {m.note ? `：${m.note}` : ''}
          </Text>
        </View>
      ))}
    </View>
  )
}
