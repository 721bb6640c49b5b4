/** Placeholder while the page is being written. */
import { Text, View } from '@tarojs/components'

export default function Page() {
  return (
    <View>
      <Text>在线咨询</Text>
    </View>
  )
}
