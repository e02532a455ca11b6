import * as z from 'zod/mini';

/*
 * What a button carries: which action, and which finding. The notifier writes
 * these into the Slack app message; the endpoint reads them back from a signed
 * request. Values are still checked (shape here, existence in GuardDuty before
 * acting), since a workspace member can send any value a button could hold.
 */

export const ACTION_IDS = {
  acknowledge: 'gdn_acknowledge',
  archive: 'gdn_archive',
  useful: 'gdn_feedback_useful',
  notUseful: 'gdn_feedback_not_useful',
  suppress: 'gdn_suppress',
} as const;
export type ButtonName = keyof typeof ACTION_IDS;

const FindingId = z.string().check(z.regex(/^[A-Za-z0-9_.:-]{1,256}$/));
const Region = z.string().check(z.regex(/^[a-z]{2}(-[a-z]+)+-\d{1,2}$/));
const AccountId = z.string().check(z.regex(/^\d{12}$/));

/** The JSON a button's `value` holds (short keys: Slack caps a value at 2,000 characters). */
export const ButtonValueSchema = z.strictObject({ f: FindingId, r: Region, a: AccountId });
export type ButtonValue = z.infer<typeof ButtonValueSchema>;

/** The button value for a finding. */
export function buttonValue(finding: { id: string; region: string; accountId: string }): string {
  return JSON.stringify({ f: finding.id, r: finding.region, a: finding.accountId } satisfies ButtonValue);
}

const BY_ACTION_ID = new Map<string, ButtonName>(
  Object.entries(ACTION_IDS).map(([name, id]) => [id, name as ButtonName]),
);

/** Reads a pressed button: its name and the finding it is about, or null when either is not ours. */
export function readButton(action: { action_id: string; value?: string | undefined }): {
  name: ButtonName;
  target: ButtonValue;
} | null {
  const name = BY_ACTION_ID.get(action.action_id);
  if (!name || action.value === undefined) return null;
  let json: unknown;
  try {
    json = JSON.parse(action.value);
  } catch {
    return null;
  }
  const parsed = ButtonValueSchema.safeParse(json);
  return parsed.success ? { name, target: parsed.data } : null;
}
