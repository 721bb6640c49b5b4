import { Text, View } from '@tarojs/components'
import Taro from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { useElderMode } from './elder'
import { dialPhone, useStation } from './voice-station'
import './page-shell.css'

/** Staff pages (subpackages) do not show the residents' supervision phone. */
function isResidentPage(): boolean {
  const path = Taro.getCurrentInstance().router?.path ?? ''
  return !/^\/?(officer|supervisor)\//.test(path)
}

/**
 * Every resident page: the elder-mode switch and the class that enlarges everything under it,
 * and a footer with the station's supervision phone (监督电话) one tap away. The footer stays
 * hidden while the station loads or if it cannot be loaded; `supervisionPhone={false}` leaves it
 * out (a page that shows the phone itself). `className` names the page, to scope its own styles.
 */
export function PageShell({
  children,
  testId,
  className,
  supervisionPhone
}: PropsWithChildren<{ testId?: string; className?: string; supervisionPhone?: boolean }>) {
  const [elder, toggle] = useElderMode()
  const station = useStation(supervisionPhone ?? isResidentPage())
  return (
    <View className={['shell', elder && 'elder', className].filter(Boolean).join(' ')} data-testid={testId}>
      <View
        className="elder-switch"
        onClick={toggle}
        role="switch"
        aria-checked={elder}
        data-testid="elder-switch"
      >
        <Text>{elder ? '长辈模式：已开启（点此关闭）' : '长辈模式：字更大（点此开启）'}</Text>
      </View>
      {children}
      {station?.supervisionPhone ? (
        <View className="shell-footer">
          <Text className="shell-footer-note">对我们的服务有意见或投诉，可拨打</Text>
          <View
            className="shell-supervision"
            role="button"
            aria-label={`拨打监督电话 ${station.supervisionPhone}`}
            onClick={() => dialPhone(station.supervisionPhone)}
            data-testid="shell-supervision-phone"
          >
            <Text>☎ 监督电话：{station.supervisionPhone}</Text>
          </View>
        </View>
      ) : null}
    </View>
  )
}
