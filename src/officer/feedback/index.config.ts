export default definePageConfig({
  navigationBarTitleText: '意见簿'
})
