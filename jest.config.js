// Jest runs the TypeScript sources as ESM (@actions/core 3.x is ESM-only), transpiled by ts-jest without
// type checking (`npm run typecheck` does that once, instead of per test file).
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  resolver: 'ts-jest-resolver',
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }]
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testTimeout: 60000,
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/scripts/jest-closing-line.js'],
  // Measured where the engine runs in-process (the bundles run in child processes, out of coverage's sight).
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', ['text', { skipFull: true }]],
  coverageThreshold: { './src/core/': { lines: 90 } }
}
