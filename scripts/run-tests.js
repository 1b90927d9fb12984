#!/usr/bin/env node
// Runs every compiled test file (dist/**/*.test.js) with node's test runner.
// Node 20 takes no globs, so the files are listed here; extra args filter by path substring.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const filters = process.argv.slice(2);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.test.js') && (filters.length === 0 || filters.some((f) => path.includes(f)))) files.push(path);
  }
})('dist');
files.sort();
if (files.length === 0) {
  console.error('no test files found under dist/ (did tsc run?)');
  process.exit(1);
}
// TAP when not on a terminal (CI logs), on every Node version: its closing counts are stable.
const reporter = process.stdout.isTTY ? [] : ['--test-reporter=tap'];
const result = spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...reporter, ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
