export * from './errors'
export * from './result'
export * from './guide'
export * from './contract'
