import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ALICE, BOB, MALLORY, REGION, startWorld, TABLE, type World } from './world.js';

let world: World;
let n = 0;
/** A fresh finding id per test, seeded in the administrator's detector. */
async function seeded(options: { type?: string; resource?: unknown } = {}): Promise<string> {
  n += 1;
  const id = `f${Date.now().toString(16)}${n}`.padEnd(32, '0');
  await world.seed([{ id, ...options }]);
  return id;
}

beforeAll(async () => {
  world = await startWorld({ archiveOnNotUseful: true });
}, 60_000);
afterAll(() => world?.stop());
beforeEach(() => world.slack.reset());

describe('the interaction endpoint, against moto and a Slack stand-in', () => {
  it('archives a finding on a signed click by an allowed user, and says so only to the clicker', async () => {
    const id = await seeded();
    const result = await world.send(world.click(ALICE, 'archive', id));
    expect(result.statusCode).toBe(200);
    expect(await world.finding(id)).toEqual({ archived: true, feedback: undefined });
    expect(world.replies()).toEqual([`Archived by <@${ALICE}>.`]);
    expect(world.slack.requests[0]?.path).toBe(`/response/${ALICE}`);
    expect(JSON.parse(world.slack.requests[0]?.body ?? '{}')).toMatchObject({
      response_type: 'ephemeral',
      replace_original: false,
    });
  });

  it('acts once on a double click: the second click is told who did it', async () => {
    const id = await seeded();
    await Promise.all([
      world.send(world.click(ALICE, 'acknowledge', id)),
      world.send(world.click(ALICE, 'acknowledge', id)),
    ]);
    const replies = world.replies().sort();
    expect(replies).toHaveLength(2);
    expect(replies.filter((r) => r.startsWith('Acknowledged by'))).toHaveLength(1);
    expect(replies.filter((r) => r.startsWith('Already acknowledged by'))).toHaveLength(1);
    // The finding's record (sk META, who acknowledged it for the parent message) sits beside the claim.
    const claims = (await world.claims()).filter((c) => c.pk === `FINDING#${id}` && c.sk?.startsWith('CLAIM#'));
    expect(claims).toHaveLength(1);
    expect(claims[0]).toMatchObject({ sk: 'CLAIM#acknowledge', by: ALICE });
    expect(Number(claims[0]?.expiresAt)).toBeGreaterThan(Date.now() / 1000 + 89 * 86_400);
  });

  it('lets a member of an allowed user group archive (usergroups.users.list), and nobody else', async () => {
    const id = await seeded();
    await world.send(world.click(MALLORY, 'archive', id));
    expect(await world.finding(id)).toEqual({ archived: false, feedback: undefined });
    expect(world.replies()).toEqual(['Sorry, you are not allowed to archive GuardDuty findings here.']);
    await world.send(world.click(BOB, 'archive', id));
    expect(await world.finding(id)).toEqual({ archived: true, feedback: undefined });
    expect(world.slack.requests.some((r) => r.path === '/api/usergroups.users.list')).toBe(true);
  });

  it('refuses feedback from a group member who is only allowed to archive', async () => {
    const id = await seeded();
    await world.send(world.click(BOB, 'useful', id));
    expect(await world.finding(id)).toEqual({ archived: false, feedback: undefined });
  });

  it('records feedback; "not useful" also archives when configured', async () => {
    const useful = await seeded();
    await world.send(world.click(ALICE, 'useful', useful));
    expect(await world.finding(useful)).toEqual({ archived: false, feedback: 'USEFUL' });
    const noise = await seeded();
    await world.send(world.click(ALICE, 'notUseful', noise));
    expect(await world.finding(noise)).toEqual({ archived: true, feedback: 'NOT_USEFUL' });
  });

  it('changes nothing for a finding the administrator detector does not have', async () => {
    await world.send(world.click(ALICE, 'archive', 'a'.repeat(32)));
    expect(world.replies()).toEqual(["That finding is not in this account's GuardDuty detector; nothing was changed."]);
  });

  it('does not act on a finding of another region', async () => {
    const id = await seeded();
    await world.send(world.click(ALICE, 'archive', id, { region: 'eu-west-1' }));
    expect(await world.finding(id)).toEqual({ archived: false, feedback: undefined });
    expect(world.replies()[0]).toContain(`acts in ${REGION} only`);
  });

  it('proposes a suppression rule for review and creates none', async () => {
    const id = await seeded({
      type: 'Recon:EC2/PortProbeUnprotectedPort',
      resource: { resourceType: 'Instance', instanceDetails: { instanceId: 'i-0123456789abcdef0' } },
    });
    await world.send(world.click(ALICE, 'suppress', id));
    const [reply] = world.replies();
    expect(reply).toContain('resource "aws_guardduty_filter" "suppress_recon_ec2_portprobeunprotectedport"');
    expect(reply).toContain(`detector_id = "${world.detectorId}"`);
    expect(reply).toContain('equals = ["i-0123456789abcdef0"]');
    expect(reply).toContain('aws guardduty create-filter');
    expect(reply).toContain('"resource.instanceDetails.instanceId":{"Eq":["i-0123456789abcdef0"]}');
    expect(await world.finding(id)).toEqual({ archived: false, feedback: undefined });
  });

  it('measures the time from the first sighting to the acknowledgement and to the archive, by severity band', async () => {
    const id = await seeded();
    const firstSeenAt = new Date(Date.now() - 240_000).toISOString(); // four minutes before the click
    await world.dynamo.send(
      new PutItemCommand({
        TableName: TABLE,
        Item: {
          pk: { S: `FINDING#${id}` },
          sk: { S: 'META' },
          firstSeenAt: { S: firstSeenAt },
          highestSeverity: { N: '8' },
        },
      }),
    );
    const lines: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      await world.send(world.click(ALICE, 'acknowledge', id));
      await world.send(world.click(ALICE, 'archive', id));
    } finally {
      spy.mockRestore();
    }
    const metrics = lines.flatMap((l) => l.split('\n')).filter((l) => l.includes('"TimeTo'));
    const parsed = metrics.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((p) => [Object.keys(p).find((k) => k.startsWith('TimeTo')), p.Severity])).toEqual([
      ['TimeToAcknowledge', 'HIGH'],
      ['TimeToArchive', 'HIGH'],
    ]);
    expect(parsed[0]?.TimeToAcknowledge).toBeGreaterThanOrEqual(240);
    expect(parsed[0]?.TimeToAcknowledge).toBeLessThan(300);
  });

  it('refuses an unsigned request before reading it, and changes nothing', async () => {
    const id = await seeded();
    const event = world.click(ALICE, 'archive', id) as { headers: Record<string, string> };
    delete event.headers['x-slack-signature'];
    const result = await world.send(event);
    expect(result.statusCode).toBe(401);
    expect(result.followUp).toBeUndefined();
    expect(await world.finding(id)).toEqual({ archived: false, feedback: undefined });
    expect(world.slack.requests).toHaveLength(0);
  });

  it('answers another workspace politely, only to the clicker, without acting', async () => {
    const id = await seeded();
    const result = await world.send(world.click(ALICE, 'archive', id, { team: 'T0OTHER01' }));
    expect(result.statusCode).toBe(200);
    expect(await world.finding(id)).toEqual({ archived: false, feedback: undefined });
    expect(world.replies()).toEqual(['Sorry, this workspace is not allowed to act on these findings.']);
  });
});
