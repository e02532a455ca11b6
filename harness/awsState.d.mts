import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';

/** The state table as the module creates it: pk/sk strings, on demand, TTL on `expiresAt`. */
export declare function createStateTable(tableName: string, endpoint?: string): Promise<DynamoDBClient>;
/** Every item of a table (paged), as DynamoDB returns them. */
export declare function scanAll(
  client: DynamoDBClient,
  tableName: string,
): Promise<Array<Record<string, AttributeValue>>>;
/** Every item with its attribute values flattened to strings (S or N). */
export declare function scanFlat(client: DynamoDBClient, tableName: string): Promise<Array<Record<string, string>>>;
/** Seeds GuardDuty findings into a detector through the moto launcher's test-only route. */
export declare function seedFindings(
  endpoint: string,
  detectorId: string,
  where: { region: string; account: string },
  findings: Array<{ id: string; type?: string; severity?: number; resource?: unknown }>,
): Promise<void>;
