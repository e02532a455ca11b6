import { main } from './cli/main.js';

// The `guardduty-notify` command (bundled to handler/dist/cli.mjs).
process.exitCode = main(process.argv.slice(2));
