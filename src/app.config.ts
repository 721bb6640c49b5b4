export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/guide/index',
    'pages/me/index',
    'pages/service/index',
    'pages/book/index',
    'pages/booking-detail/index',
    'pages/my-bookings/index',
    'pages/messages/index',
    'pages/help/index',
    'pages/my-requests/index',
    'pages/rating/index',
    'pages/my-voice/index',
    'pages/feedback/index'
  ],
  // Staff pages load only when staff open them (each subpackage ≤ 2 MB).
  subPackages: [
    {
      root: 'officer',
      pages: [
        'queue/index',
        'requests/index',
        'inbox/index',
        'team/index',
        'ratings/index',
        'questions/index',
        'feedback/index'
      ]
    },
    { root: 'supervisor', pages: ['calendar/index', 'dashboard/index', 'audit/index'] }
  ],
  window: {
    backgroundTextStyle: 'dark',
    navigationBarBackgroundColor: '#1d4f91',
    navigationBarTitleText: '户政便民',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f2f4f7'
  },
  // 首页 / 办事指南 / 我的, text only (no icon images: the main package stays small).
  // Tab pages are opened with switchTab (src/navigation.ts); keep this list as TAB_PAGES in types/routes.ts.
  tabBar: {
    color: '#4e5969',
    selectedColor: '#1d4f91',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/index/index', text: '首页' },
      { pagePath: 'pages/guide/index', text: '办事指南' },
      { pagePath: 'pages/me/index', text: '我的' }
    ]
  },
  lazyCodeLoading: 'requiredComponents'
})
