export default definePageConfig({
  navigationBarTitleText: '制证进度'
})
