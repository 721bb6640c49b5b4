import { Text, View } from '@tarojs/components'
import type { PropsWithChildren } from 'react'
import { useElderMode } from './elder'
import './page-shell.css'

/** Every resident page: the elder-mode switch and the class that enlarges everything under it. */
export function PageShell({ children, testId }: PropsWithChildren<{ testId?: string }>) {
  const [elder, toggle] = useElderMode()
  return (
    <View className={elder ? 'shell elder' : 'shell'} data-testid={testId}>
      <View className='elder-switch' onClick={toggle} role='switch' aria-checked={elder} data-testid='elder-switch'>
        <Text>{elder ? '长辈模式：已开启（点此关闭）' : '长辈模式：字更大（点此开启）'}</Text>
      </View>
      {children}
    </View>
  )
}
