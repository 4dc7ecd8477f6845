/**
 * The install path's own modules (download, inspection, package manifests, a component's
 * transpiling), which library.ts imports at an install's first use rather than when it loads:
 * `terrarium run APP` loads the library and never installs, and its library script is smaller
 * without them (docs/design/runapp.md, seventh pass). scripts/bundle-cli.ts puts them in a chunk
 * of their own.
 */
export { checkSha256, download, urlFileName } from './download.ts';
export { inspectModule } from './inspect.ts';
export { readPackage } from './wasmer-toml.ts';
export { readFileCapped } from './read-file.ts';
export { transpileForInstall } from './install-component.ts';
