// ESLint (flat config): typescript-eslint's type-checked recommended rules (they read the types,
// so they catch floating promises, unsafe `any` flows and needless assertions) and React hooks
// rules, over every file we write. Type errors themselves are tsc's job (npm run typecheck);
// formatting is Prettier's (npm run format).
import js from '@eslint/js'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'build/', '.local-cloud/', '.test-data/', 'coverage/', '**/*.d.ts']
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
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
      'no-console': 'off',
      // Handlers, SDK stand-ins and interface implementations are async by contract even when a
      // body happens not to await; a missing await that matters is no-floating-promises' catch.
      '@typescript-eslint/require-await': 'off'
    }
  },
  // miniprogram-automator declares its page and element queries as Promise<any>.
  {
    files: ['tests/devtools/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off'
    }
  },
  // Jest's asymmetric matchers (expect.any, expect.objectContaining…) are typed `any`.
  {
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off'
    }
  },
  // Plain JavaScript config files (babel, jest) are not in any tsconfig: lint them without types.
  { files: ['**/*.{js,mjs,cjs}'], extends: [tseslint.configs.disableTypeChecked] }
)
