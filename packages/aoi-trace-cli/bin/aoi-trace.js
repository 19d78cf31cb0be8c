#!/usr/bin/env node
// The compiled CLI lives in dist/; this stub keeps the bin path stable before and after a build.
import { endQuietlyOnBrokenPipe } from '@lanes/cli-kit';
import { main } from '../dist/main.js';

// `aoi-trace ... | head`: a closed pipe ends the output, it is not an error.
endQuietlyOnBrokenPipe(process.stdout, () => process.exit(0));
process.exitCode = await main(process.argv.slice(2));
