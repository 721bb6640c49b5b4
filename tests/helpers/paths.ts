import path from 'node:path'
import { ROOT } from '../../local-cloud/paths'

/** Scratch space for tests (git-ignored). */
export const TEST_DATA = path.join(ROOT, '.test-data')
export const FIXTURE_FUNCTIONS_SRC = path.join(ROOT, 'tests', 'fixtures', 'functions')
export const FIXTURE_FUNCTIONS_BUILD = path.join(TEST_DATA, 'fixture-functions')
