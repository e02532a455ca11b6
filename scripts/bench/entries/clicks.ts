// Bench entry (bundled by scripts/bench.mjs with esbuild): what Slack does to a
// click, from the handler's own sources, so the bench signs and encodes exactly
// as the endpoint expects.
export { ACTION_IDS, buttonValue } from '../../../handler/src/interact/buttons.js';
export { slackSignature } from '../../../handler/src/interact/signature.js';
