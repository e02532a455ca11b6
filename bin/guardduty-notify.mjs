#!/usr/bin/env node
// The CLI ships prebuilt (handler/dist/cli.mjs, from `make bundle`), so it runs with plain Node.
import '../handler/dist/cli.mjs';
