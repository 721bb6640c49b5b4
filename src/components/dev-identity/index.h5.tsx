/**
 * H5 build only: choose which demo account the local cloud sees as the caller.
 * (On WeChat the identity comes from the platform; this component does not exist there.)
 */
import { Picker, Text, View } from '@tarojs/components'
import { useState } from 'react'
import { DEMO_ACCOUNTS } from '../../../database/seed/staff'
import { currentOpenId, setOpenId } from '../../api/identity.h5'

export default function DevIdentity() {
  const [openid, setCurrent] = useState(currentOpenId())
  const index = Math.max(
    0,
    DEMO_ACCOUNTS.findIndex((a) => a.openid === openid)
  )
  const labels = DEMO_ACCOUNTS.map((a) => a.label)
  return (
    <View className="dev-identity" data-testid="dev-identity">
      <Picker
        mode="selector"
        range={labels}
        value={index}
        onChange={(e) => {
          const chosen = DEMO_ACCOUNTS[Number(e.detail.value)]
          if (!chosen) return
          setOpenId(chosen.openid)
          setCurrent(chosen.openid)
          window.location.reload()
        }}
      >
        <Text>本地演示身份：{DEMO_ACCOUNTS[index]?.label}（点此切换）</Text>
      </Picker>
    </View>
  )
}
