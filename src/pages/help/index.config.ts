export default definePageConfig({
  navigationBarTitleText: '急事求助'
})
