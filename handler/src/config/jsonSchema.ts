import * as z from 'zod/mini';
import { ConfigSchema } from './schema.js';

/** The config secret's JSON Schema (draft 2020-12), for editors and CI validation of config files. */
export function configJsonSchema(): Record<string, unknown> {
  return {
    ...(z.toJSONSchema(ConfigSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>),
    title: 'guardduty-notify configuration',
    description: 'The JSON stored in the guardduty-notify config secret.',
  };
}
