#!/usr/bin/env node
// The compiled CLI lives in dist/; this stub keeps the bin path stable before and after a build.
import { main } from '../dist/main.js';

process.exitCode = await main(process.argv.slice(2));
