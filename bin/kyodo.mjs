#!/usr/bin/env node
// The `kyodo` command. Runs the TypeScript sources directly through tsx (see docs/decisions/0002).
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
