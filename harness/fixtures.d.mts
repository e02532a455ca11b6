/** handler/test/fixtures/events */
export declare const FIXTURES_DIR: string;

/** Names (without .json) of the valid GuardDuty event fixtures, sorted. */
export declare function fixtureNames(): string[];

/** The raw JSON of one fixture event. */
export declare function rawFixture(name: string): Record<string, unknown>;
