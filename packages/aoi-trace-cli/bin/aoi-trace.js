#!/usr/bin/env node
// The compiled CLI lives in dist/; this stub keeps the bin path stable before and after a build.
import { main } from '../dist/main.js';

// `aoi-trace ... | head`: a closed pipe ends the output, it is not an error.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

process.exitCode = await main(process.argv.slice(2));
