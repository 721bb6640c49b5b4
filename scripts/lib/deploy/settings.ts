/**
 * What `npm run deploy` is configured with: environment variables only, so a CI job and a
 * developer's shell work the same way and no secret is ever written into the repository.
 * docs/deploy.md lists them.
 */
import fs from 'node:fs'

export interface DeploySettings {
  appid: string
  privateKeyPath: string
  cloudEnv: string
  version: string
  description: string
}

export interface SettingsCheck {
  /** Complete only when every required variable is set and valid. */
  settings?: DeploySettings
  /** The cloud environment id, when one is set and valid (the checks of templates use it). */
  cloudEnv?: string
  /** Set but wrong: always fatal. */
  errors: string[]
  /** Required variables that are not set: fatal for an upload, reported by a dry run. */
  missing: string[]
}

export const REQUIRED_VARIABLES = {
  WECHAT_APPID: 'the mini-program AppID (wx followed by 16 hex digits; mp.weixin.qq.com → 开发 → 开发管理)',
  WECHAT_PRIVATE_KEY_PATH:
    'path of the code upload key downloaded from mp.weixin.qq.com (开发管理 → 开发设置 → 小程序代码上传)',
  CLOUD_ENV: 'the cloud environment id (cloud console → 设置 → 环境ID)'
} as const

/** A mini-program AppID: "wx" and 16 lowercase hex digits. */
export const APPID = /^wx[0-9a-f]{16}$/
/** A cloud environment id: letters, digits and hyphens, as the console shows it. */
export const CLOUD_ENV_ID = /^[a-z0-9][a-z0-9-]{1,62}$/i

export interface SettingsDefaults {
  version: string
  description: string
}

export function readSettings(env: NodeJS.ProcessEnv, defaults: SettingsDefaults): SettingsCheck {
  const errors: string[] = []
  const missing: string[] = []
  const value = (name: keyof typeof REQUIRED_VARIABLES): string | undefined => {
    const v = env[name]?.trim()
    if (!v) missing.push(`${name}: ${REQUIRED_VARIABLES[name]}`)
    return v || undefined
  }
  const appid = value('WECHAT_APPID')
  const privateKeyPath = value('WECHAT_PRIVATE_KEY_PATH')
  const cloudEnv = value('CLOUD_ENV')

  if (appid && !APPID.test(appid))
    errors.push(`WECHAT_APPID "${appid}" is not an AppID: expected wx followed by 16 hex digits`)
  if (cloudEnv && !CLOUD_ENV_ID.test(cloudEnv))
    errors.push(`CLOUD_ENV "${cloudEnv}" is not a cloud environment id: letters, digits and hyphens only`)
  if (privateKeyPath) {
    const problem = privateKeyProblem(privateKeyPath)
    if (problem) errors.push(`WECHAT_PRIVATE_KEY_PATH: ${problem}`)
  }
  const version = env.DEPLOY_VERSION?.trim() || defaults.version
  const description = env.DEPLOY_DESCRIPTION?.trim() || defaults.description
  if (/\s/.test(version)) errors.push(`DEPLOY_VERSION "${version}" must not contain spaces`)

  const validEnv = cloudEnv && CLOUD_ENV_ID.test(cloudEnv) ? cloudEnv : undefined
  if (errors.length || missing.length || !appid || !privateKeyPath || !cloudEnv)
    return { errors, missing, cloudEnv: validEnv }
  return {
    errors,
    missing,
    cloudEnv: validEnv,
    settings: { appid, privateKeyPath, cloudEnv, version, description }
  }
}

/** Why the upload key at `file` cannot be used, or null. */
export function privateKeyProblem(file: string): string | null {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    return `cannot read ${file} (${code ?? String(err)}): download the code upload key from mp.weixin.qq.com`
  }
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text))
    return `${file} is not a private key (no "BEGIN … PRIVATE KEY" line): use the code upload key file (private.<appid>.key)`
  return null
}
