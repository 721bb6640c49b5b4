/**
 * What talks to WeChat. The deploy is written against this interface so that its dry run and its
 * tests can prove nothing is sent; the real one wraps miniprogram-ci, loaded only when an upload
 * actually happens.
 */
import type { DeploySettings } from './settings'
import type { TriggerSpec } from './triggers'

export interface Uploader {
  /** Uploads dist/ as a development version (体验版 candidate) of the mini-program. */
  uploadMiniProgram(input: { projectPath: string; version: string; description: string }): Promise<void>
  /** Uploads one built function folder; wx-server-sdk is installed in the cloud. */
  uploadFunction(input: { name: string; dir: string }): Promise<void>
  /** Creates (or replaces) a function's timer triggers. */
  uploadTriggers(input: { name: string; triggers: TriggerSpec[] }): Promise<void>
}

/** miniprogram-ci's answer when the triggers were created; anything else is a failure it does not throw. */
const TRIGGERS_CREATED = '创建定时触发器成功'

export async function miniprogramCiUploader(
  settings: DeploySettings,
  projectPath: string
): Promise<Uploader> {
  const ci = await import('miniprogram-ci')
  const project = new ci.Project({
    appid: settings.appid,
    type: 'miniProgram',
    projectPath,
    privateKeyPath: settings.privateKeyPath,
    ignores: ['node_modules/**/*']
  })
  const log = (task: unknown): void => {
    const message = typeof task === 'string' ? task : (task as { message?: string }).message
    if (message) console.log(`    ${message}`)
  }
  return {
    async uploadMiniProgram({ version, description }) {
      await ci.upload({
        project,
        version,
        desc: description,
        // The settings of project.config.json (Taro's output is already compiled and minified).
        setting: { useProjectConfig: true },
        onProgressUpdate: log
      })
    },
    async uploadFunction({ name, dir }) {
      await ci.cloud.uploadFunction({
        project,
        env: settings.cloudEnv,
        name,
        path: dir,
        remoteNpmInstall: true
      })
    },
    async uploadTriggers({ name, triggers }) {
      const result = await ci.cloud.createTimeTrigger({
        project,
        envId: settings.cloudEnv,
        functionName: name,
        triggersConfig: triggers
      })
      if (result !== TRIGGERS_CREATED)
        throw new Error(`the triggers of ${name} were refused: ${String(result)}`)
    }
  }
}
