/** Placeholder while the page is being written. */
import { Text, View } from '@tarojs/components'

export default function Page() {
  return (
    <View>
      <Text>服务评价与业务量</Text>
    </View>
  )
}
