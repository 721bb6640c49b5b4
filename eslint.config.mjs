// ESLint (flat config): typescript-eslint's recommended rules and React hooks rules, over every
// TypeScript file we write. Type errors are tsc's job (npm run typecheck).
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'build/', '.local-cloud/', '.test-data/', 'coverage/', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    languageOptions: {
      globals: {
        ...globals.node,
        ...globals.browser,
        CLOUD_ENV: 'readonly',
        defineAppConfig: 'readonly',
        definePageConfig: 'readonly'
      }
    },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      'no-console': 'off'
    }
  }
)
