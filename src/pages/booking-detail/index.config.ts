export default definePageConfig({
  navigationBarTitleText: '我的预约',
  // 转发 from the menu and the share button: shareCard in index.tsx decides what is sent.
  enableShareAppMessage: true
})
