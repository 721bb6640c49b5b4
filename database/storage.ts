/**
 * The cloud storage rule of this product's environment, as set in the cloud console (云开发控制台 →
 * 存储 → 权限设置: "仅创建者可读写"). The local cloud applies the same rule (scripts/lib/product-cloud.ts
 * passes it in); docs/local-cloud.md ("Storage") says how to set it on WeChat.
 *
 * PRIVATE: a resident's app may upload a file, get a temporary URL for it and delete it — only
 * files that resident uploaded. Everything staff see of a resident's photos goes through
 * functions, which may read any file (and audit the view).
 */
import type { StorageOptions } from '../local-cloud/product'

export const storageRule: StorageOptions = { acl: 'PRIVATE' }
