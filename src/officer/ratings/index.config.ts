export default definePageConfig({
  navigationBarTitleText: '评价与差评回访'
})
