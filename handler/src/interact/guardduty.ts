import type { GuardDutyActions } from './actions.js';

type GdModule = typeof import('@aws-sdk/client-guardduty');
let gdModule: Promise<GdModule> | undefined;

/**
 * GuardDuty in this function's region through the SDK, loaded on first use.
 * The detector id is looked up once per container (ListDetectors: an account
 * has at most one detector per region).
 */
export function createGuardDutyActions(): GuardDutyActions {
  let client: import('@aws-sdk/client-guardduty').GuardDutyClient | undefined;
  let detector: Promise<string> | undefined;
  const connect = async () => {
    gdModule ??= import('@aws-sdk/client-guardduty');
    const mod = await gdModule;
    // Slack waits 3 s for the acknowledgement, but the work runs after it: a few quick attempts.
    client ??= new mod.GuardDutyClient({ maxAttempts: 3 });
    return { mod, client };
  };
  return {
    detectorId() {
      detector ??= (async () => {
        const { mod, client } = await connect();
        const result = await client.send(new mod.ListDetectorsCommand({}));
        const id = result.DetectorIds?.[0];
        if (!id) throw new Error('GuardDuty has no detector in this region');
        return id;
      })();
      detector.catch(() => {
        detector = undefined;
      });
      return detector;
    },
    async getFinding(detectorId, findingId) {
      const { mod, client } = await connect();
      const result = await client.send(new mod.GetFindingsCommand({ DetectorId: detectorId, FindingIds: [findingId] }));
      const found = result.Findings?.find((f) => f.Id === findingId);
      if (!found) return null;
      // The SDK's PascalCase shape → GuardDuty's event (camelCase) shape, which the rest of the code reads.
      return camelCase(found);
    },
    async archive(detectorId, findingIds) {
      const { mod, client } = await connect();
      await client.send(new mod.ArchiveFindingsCommand({ DetectorId: detectorId, FindingIds: findingIds }));
    },
    async feedback(detectorId, findingIds, feedback) {
      const { mod, client } = await connect();
      await client.send(
        new mod.UpdateFindingsFeedbackCommand({ DetectorId: detectorId, FindingIds: findingIds, Feedback: feedback }),
      );
    },
  };
}

/** Lower-cases the first letter of every key, recursively (SDK output → event JSON shape). */
export function camelCase(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(camelCase);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key.charAt(0).toLowerCase() + key.slice(1), camelCase(inner)]),
  );
}
