/** Placeholder while the page is being written. */
import { Text, View } from '@tarojs/components'

export default function Page() {
  return (
    <View>
      <Text>评价与差评回访</Text>
    </View>
  )
}
