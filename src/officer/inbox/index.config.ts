export default definePageConfig({
  navigationBarTitleText: '值班提醒'
})
