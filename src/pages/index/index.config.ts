export default definePageConfig({
  navigationBarTitleText: '户政便民 · 办事指南'
})
