/** The resident pages outside the tab bar, each its own subpackage (pages/<name>/index). */
const RESIDENT_PAGES = [
  'service',
  'book',
  'booking-detail',
  'my-bookings',
  'messages',
  'help',
  'my-requests',
  'rating',
  'my-voice',
  'feedback',
  'queue',
  'screen',
  'prereview',
  'cards'
]

export default defineAppConfig({
  // The tab pages only: the main package is what every resident downloads before the first screen.
  pages: ['pages/index/index', 'pages/guide/index', 'pages/me/index'],
  // Every other page loads when first opened. A resident page is a subpackage of its own whose root
  // is the page's folder, so its path is unchanged (links in messages already sent still open it);
  // code shared by several of them stays in the main package. Staff pages share two subpackages.
  // Each subpackage ≤ 2 MB, all together ≤ 20 MB (scripts/lib/sizes.ts checks both).
  subPackages: [
    ...RESIDENT_PAGES.map((page) => ({ root: `pages/${page}`, pages: ['index'] })),
    {
      root: 'officer',
      pages: [
        'workbench/index',
        'queue/index',
        'requests/index',
        'inbox/index',
        'team/index',
        'ratings/index',
        'questions/index',
        'feedback/index',
        'calling/index',
        'cards/index',
        'prereviews/index'
      ]
    },
    { root: 'supervisor', pages: ['calendar/index', 'dashboard/index', 'audit/index'] }
  ],
  // Fetched in the background once a tab page shows, so the next tap opens at once (on Wi-Fi or
  // mobile data: the pages are small).
  preloadRule: {
    'pages/index/index': {
      network: 'all',
      packages: ['pages/service', 'pages/book', 'pages/help', 'pages/booking-detail']
    },
    'pages/guide/index': { network: 'all', packages: ['pages/service', 'pages/book'] },
    'pages/me/index': {
      network: 'all',
      packages: ['pages/my-bookings', 'pages/booking-detail', 'pages/my-requests', 'pages/messages']
    }
  },
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
