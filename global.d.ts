/// <reference types="@tarojs/taro" />
declare module '*.png'
declare module '*.svg'
declare module '*.css'

/** The WeChat cloud environment id, injected by config/index.ts (empty: the current one). */
declare const CLOUD_ENV: string

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV?: 'development' | 'production' | 'test'
    TARO_ENV?: 'weapp' | 'h5'
  }
}
