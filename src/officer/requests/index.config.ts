export default definePageConfig({
  navigationBarTitleText: '求助受理'
})
