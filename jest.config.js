/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // Type-checking is done once by `tsc --noEmit` in `npm test`; ts-jest only transpiles.
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true, isolatedModules: true } }],
    '^.+\\.m?js$': ['ts-jest', { isolatedModules: true, tsconfig: { allowJs: true, isolatedModules: true } }],
  },
  // franc-min and its helpers ship as ESM only: let ts-jest turn them into CommonJS for the tests.
  transformIgnorePatterns: ['/node_modules/(?!(franc-min|trigram-utils|n-gram|collapse-white-space)/)'],
  testTimeout: 30000,
  // The generated analysis tables (scripts/generate-tables.js), current before any suite imports them.
  globalSetup: '<rootDir>/scripts/generate-tables.js',
};
