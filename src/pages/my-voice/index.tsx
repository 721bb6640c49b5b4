/** Placeholder while the page is being written. */
import { Text, View } from '@tarojs/components'

export default function Page() {
  return (
    <View>
      <Text>我的评价与留言</Text>
    </View>
  )
}
