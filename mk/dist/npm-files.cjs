// Prints, one per line, the files `npm pack` takes from the package in the
// current directory (package.json "files" and npm's own), but the native
// addon, which the napi-rs platform package carries. Used by make dist-node.
const { execFileSync } = require('node:child_process')

const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--silent'], { encoding: 'utf8' }))
for (const { path } of packed.files) if (!path.endsWith('.node')) console.log(path)
