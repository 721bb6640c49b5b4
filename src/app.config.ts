export default defineAppConfig({
  pages: [
    'pages/index/index',
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
  lazyCodeLoading: 'requiredComponents'
})
