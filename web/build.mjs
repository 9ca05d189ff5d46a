// Builds the map page into dist/: one minified script and one stylesheet
// named by their content hash, and index.html (a Go html/template) that
// names them. dist/ is committed so that the Go build needs no Node.
import * as esbuild from 'esbuild';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

const dist = 'dist';
// GRIDWATCH_DEV=1 keeps the script readable, for profiling; never commit it.
const dev = process.env.GRIDWATCH_DEV === '1';
await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

const result = await esbuild.build({
  entryPoints: ['src/main.js'],
  bundle: true,
  minify: !dev,
  sourcemap: false,
  legalComments: 'eof',
  format: 'iife',
  target: ['chrome100', 'firefox100', 'safari15'],
  outdir: path.join(dist, 'assets'),
  entryNames: 'map-[hash]',
  loader: { '.png': 'dataurl', '.svg': 'dataurl' },
  metafile: true,
  logLevel: 'warning',
});

const outputs = Object.keys(result.metafile.outputs).map((p) => path.basename(p));
const js = outputs.find((p) => p.endsWith('.js'));
const css = outputs.find((p) => p.endsWith('.css'));
if (!js || !css) throw new Error('build: expected one .js and one .css output, got ' + outputs.join(', '));
const html = (await readFile('src/index.html', 'utf8')).replace('__JS__', js).replace('__CSS__', css);
await writeFile(path.join(dist, 'index.html'), html);
console.log(`built ${dist}/index.html, assets/${js}, assets/${css}`);
