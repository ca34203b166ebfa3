// ESLint 9 flat config: typescript-eslint (type-aware where it is cheap), import rules that keep core/ free of
// everything outside it and forbid import cycles, and Prettier's config turning off the rules it owns.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  // test-fixtures: configs the loader reads at run time (bad.config.ts is malformed on purpose), in no tsconfig
  { ignores: ['dist/**', 'node_modules/**', 'docs/api/**', '.scaffold-*/**', 'test-fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: {
      // emitDecoratorMetadata: a type-only import would drop the runtime value a decorator's metadata needs
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        emitDecoratorMetadata: true,
        experimentalDecorators: true,
      },
    },
    plugins: { 'import-x': importX },
    settings: {
      // without these import-x skips .ts files when it follows imports, and no-cycle sees nothing
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['tsconfig.json', 'examples/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      // Type-aware rules worth their cost here: a dropped promise loses a simulated task's failure.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // Every import cycle fails, whatever its length.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-duplicates': 'error',
      // core/ is the kernel, bus, memory, plugin contract, targets and trace writers: it imports nothing outside core/.
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './core',
              from: './',
              except: ['./core', './node_modules'],
              message: 'core/ imports nothing outside core/ (plugins reach the core, never the reverse).',
            },
          ],
        },
      ],
    },
  },
  {
    // The same rule without a resolver: a relative import that climbs out of core/ fails even if unresolved.
    files: ['core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '^(\\.\\./)+(plugins|cli|targets|scenarios|test|bench|examples|sweep|wasm|playground|index|create-simulation|sim\\.config)(/|\\.js$)',
              message: 'core/ imports nothing outside core/.',
            },
          ],
        },
      ],
    },
  },
  {
    // chai's property assertions (`expect(x).to.be.empty`, `.that.is.not.empty`) are expressions by design
    files: ['**/*.test.ts'],
    rules: { '@typescript-eslint/no-unused-expressions': 'off' },
  },
  prettier,
);
