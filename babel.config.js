// babel-preset-taro for the mini-program and the H5 app (the pages use no component library:
// docs/decisions/nutui.md).
module.exports = {
  presets: [['taro', { framework: 'react', ts: true, compiler: 'webpack5' }]]
}
