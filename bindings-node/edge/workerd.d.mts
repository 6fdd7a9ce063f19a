// The same API as index.mjs.
export * from './index.mjs'
