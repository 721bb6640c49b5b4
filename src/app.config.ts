export default defineAppConfig({
  pages: ['pages/index/index', 'pages/service/index'],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#1d4f91',
    navigationBarTitleText: '户政便民',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f2f4f7'
  },
  // Cloud functions are called through wx.cloud; the H5 build talks to the local cloud instead.
  cloud: true,
  lazyCodeLoading: 'requiredComponents'
})
