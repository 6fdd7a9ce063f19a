// make dist-node: declare every platform package of npm/ (made by `napi create-npm-dirs`)
// in the staged main package's optionalDependencies, at the one version, as
// `napi pre-publish` writes them in a release (it also publishes each platform package,
// which needs every platform's binary; RELEASING.md). Usage: node node-optional-deps.cjs STAGE
'use strict'
const { readdirSync, readFileSync, writeFileSync } = require('node:fs')
const { join } = require('node:path')

const stage = process.argv[2]
const manifestPath = join(stage, 'package.json')
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
const optionalDependencies = {}
for (const dir of readdirSync(join(stage, 'npm')).sort()) {
  const platform = JSON.parse(readFileSync(join(stage, 'npm', dir, 'package.json'), 'utf8'))
  if (platform.version !== manifest.version) {
    throw new Error(`npm/${dir}: version ${platform.version}, the main package has ${manifest.version}`)
  }
  optionalDependencies[platform.name] = platform.version
}
if (!optionalDependencies[`${manifest.name}-linux-x64-gnu`]) throw new Error('npm/linux-x64-gnu is missing')
manifest.optionalDependencies = optionalDependencies
// What a user installs needs neither the build scripts nor the dev tools.
delete manifest.devDependencies
delete manifest.scripts
writeFileSync(manifestPath, JSON.stringify(manifest, null, 2) + '\n')
console.log(`dist-node: ${manifest.name}@${manifest.version} declares ${Object.keys(optionalDependencies).join(', ')}`)
