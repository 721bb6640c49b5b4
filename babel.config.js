// babel-preset-taro, plus on-demand NutUI imports: without babel-plugin-import every page would
// pull the whole NutUI stylesheet in (about ten times the CSS). NutUI 3 keeps each component
// in dist/es/packages/<lowercase name>/ with its CSS in style/css.
const nutui = (name) => `@nutui/nutui-react-taro/dist/es/packages/${name.toLowerCase()}`

module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]],
  plugins: [
    [
      'import',
      {
        libraryName: '@nutui/nutui-react-taro',
        camel2DashComponentName: false,
        customName: (name) => nutui(name),
        customStyleName: (name) => `${nutui(name)}/style/css`
      },
      'nutui-react-taro'
    ]
  ]
}
