// npm run bench:components [-- --runs N] [--quick] [--only write,stdin,smallfiles] [--no-transpile]
// WASI 0.2 components beside preview1, and install-time transpilation (bench/lib/components.ts).
import { main } from './lib/components.ts';

await main(process.argv.slice(2));
