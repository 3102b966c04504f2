#!/usr/bin/env -S node --max-semi-space-size=64
// The `shegong` command-line tool (`npx shegong --help`).
import { register } from 'tsx/esm/api';
register();
await import('../src/cli.ts');
