// The package.json that `npm pack` and `npm publish` put in the tarball: the repository's own, less what only a
// clone uses (its "scripts", which run files the tarball lacks, and its "devDependencies"). Run by npm as the
// "prepack" script (`node scripts/pack-manifest.mjs clean`: the repository's file is kept aside as
// .package.repo.json and the clean one written in its place, which npm then packs) and the "postpack" script
// (`... restore`: the repository's file is put back). npm runs both around every pack and publish of this
// directory; a pack that dies between them leaves the file aside: `node scripts/pack-manifest.mjs restore` puts it
// back (and the next prepack starts from it).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const manifest = fileURLToPath(new URL('../package.json', import.meta.url));
const aside = fileURLToPath(new URL('../.package.repo.json', import.meta.url));

/** What is left out of the published manifest. */
export const REPOSITORY_ONLY = ['scripts', 'devDependencies'];

/** The published manifest for the repository's manifest text `text` (key order and formatting kept). */
export function publishedManifest(text) {
  const published = JSON.parse(text);
  for (const key of REPOSITORY_ONLY) delete published[key];
  return `${JSON.stringify(published, null, 2)}\n`;
}

const command = process.argv[2];
if (command === 'clean') {
  if (!existsSync(aside)) renameSync(manifest, aside);
  writeFileSync(manifest, publishedManifest(readFileSync(aside, 'utf8')));
} else if (command === 'restore') {
  if (existsSync(aside)) renameSync(aside, manifest);
} else if (command !== undefined) {
  console.error('usage: node scripts/pack-manifest.mjs clean|restore');
  process.exit(2);
}
