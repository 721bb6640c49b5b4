/** Where things live and where builds go (one place for the local cloud, the scripts and the tests). */
import path from 'node:path'

export const ROOT = path.resolve(__dirname, '..')
export const DIST_WEAPP = path.join(ROOT, 'dist')
export const BUILD = path.join(ROOT, 'build')
export const BUILD_H5 = path.join(BUILD, 'h5')
export const BUILD_FUNCTIONS = path.join(BUILD, 'cloudfunctions')
export const INSTANCE_RUNNER = path.join(BUILD, 'local-cloud', 'instance.js')
export const FUNCTIONS_SRC = path.join(ROOT, 'cloudfunctions')
