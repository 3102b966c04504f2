#!/usr/bin/env node
// The `shegong` command-line tool (`npx shegong --help`).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
