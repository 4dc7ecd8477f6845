/**
 * `npm run icons`: regenerates resources/icons/*.png, resources/icon.ico and resources/icon.icns
 * from resources/icon.svg. The outputs are committed; test/integration/icons.test.ts checks they
 * match the source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { generateIcons } from './icons/generate.ts';

const resources = path.resolve(import.meta.dirname, '..', 'resources');
const files = await generateIcons(fs.readFileSync(path.join(resources, 'icon.svg'), 'utf8'));
for (const [rel, bytes] of files) {
  const target = path.join(resources, ...rel.split('/'));
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, bytes);
  process.stdout.write(`${path.relative(process.cwd(), target)}  ${bytes.length} bytes\n`);
}
