// `make demo`: the demo is TypeScript (it shares the gallery renderers with the
// CLI), run through tsx's loader, which is a devDependency.
import { register } from 'tsx/esm/api';

// The demo's own SDK clients (moto set-up) need not warn about this Node version on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
register();
await import('./demo/main.ts');
