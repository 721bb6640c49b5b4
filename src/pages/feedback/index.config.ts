export default definePageConfig({
  navigationBarTitleText: '意见簿与在线咨询'
})
