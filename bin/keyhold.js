#!/usr/bin/env node
// The `keyhold` command; the implementation is compiled from src/cli by `npm ci` (prepare).
import '../dist/src/cli/main.js';
