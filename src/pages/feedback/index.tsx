/** Placeholder while the page is being written. */
import { Text, View } from '@tarojs/components'

export default function Page() {
  return (
    <View>
      <Text>意见簿与在线咨询</Text>
    </View>
  )
}
