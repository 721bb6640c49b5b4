/**
 * Taro build configuration, one file for both targets:
 *   weapp → dist/        (opened by WeChat DevTools through the root project.config.json)
 *   h5    → build/h5/    (served by the local cloud)
 * Styles are written at a 750px design width (rpx on WeChat, rem on H5).
 */
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import path from 'node:path'

const isH5 = process.env.TARO_ENV === 'h5'
// Code outside src/ that the app bundles: the shared contract, and (H5 only) the demo accounts.
const compile = {
  include: [path.resolve(__dirname, '..', 'types'), path.resolve(__dirname, '..', 'database')]
}

export default defineConfig<'webpack5'>(async () => {
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'hukou-window',
    date: '2026-11-27',
    designWidth: 750,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: isH5 ? 'build/h5' : 'dist',
    plugins: [],
    defineConstants: {
      // The WeChat cloud environment id the mini-program calls; empty means the current one.
      CLOUD_ENV: JSON.stringify(process.env.CLOUD_ENV ?? '')
    },
    framework: 'react',
    compiler: { type: 'webpack5', prebundle: { enable: false } },
    cache: { enable: false },
    logger: { quiet: true, stats: false },
    mini: {
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' }
        }
      },
      optimizeMainPackage: { enable: true },
      compile
    },
    h5: {
      publicPath: '/',
      compile,
      staticDirectory: 'static',
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js'
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css'
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: {
          enable: false,
          config: { namingPattern: 'module', generateScopedName: '[name]__[local]___[hash:base64:5]' }
        }
      }
    }
  }
  return config
})
