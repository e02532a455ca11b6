import { handleInteraction } from './interact/endpoint.js';
import { createInteractionRuntime } from './interact/runtime.js';

/*
 * Lambda entry of the interaction endpoint (a function URL). With response
 * streaming (the module's invoke mode), Slack gets its acknowledgement as soon
 * as the request is authenticated, and the action runs after the stream ends,
 * within the same invocation (Lambda waits for the handler's promise).
 */

const runtime = createInteractionRuntime();

// `awslambda` is a global of Lambda's Node.js runtime (typed by @types/aws-lambda); absent elsewhere.
const lambda = (globalThis as unknown as { awslambda?: typeof awslambda }).awslambda;

/** Buffered form, for hosts without response streaming: the answer is returned after the work. */
export async function bufferedHandler(event: unknown) {
  const result = await handleInteraction(event, runtime);
  await result.followUp?.();
  return { statusCode: result.statusCode, headers: result.headers, body: result.body };
}

export const handler = lambda
  ? lambda.streamifyResponse(async (event, stream) => {
      const result = await handleInteraction(event, runtime);
      const http = lambda.HttpResponseStream.from(stream, { statusCode: result.statusCode, headers: result.headers });
      http.end(result.body);
      await result.followUp?.();
    })
  : bufferedHandler;
