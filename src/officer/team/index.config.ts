export default definePageConfig({
  navigationBarTitleText: '值班与人员'
})
