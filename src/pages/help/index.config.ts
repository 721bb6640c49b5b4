export default definePageConfig({
  navigationBarTitleText: '绿色通道·急事求助'
})
