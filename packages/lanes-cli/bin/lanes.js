#!/usr/bin/env node
// The compiled CLI lives in dist/; this stub keeps the bin path stable before and after a build.
import { endQuietlyOnBrokenPipe } from '@lanes/cli-kit';
import { main } from '../dist/main.js';

endQuietlyOnBrokenPipe(process.stdout, () => process.exit(process.exitCode ?? 0));
process.exitCode = await main(process.argv.slice(2));
