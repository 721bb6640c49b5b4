/**
 * Imported for its effect by every contract module that builds schemas: no parser is ever
 * compiled with new Function (the mini-program runtime forbids eval). The schemas themselves
 * use `zod/mini` (tree-shakeable, no method chains) imported directly as `* as z`, so bundlers
 * keep only what is used.
 */
import { config } from 'zod/mini'

config({ jitless: true })
