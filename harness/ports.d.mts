/** A port on 127.0.0.1 with nothing listening (bound, then released). */
export declare function closedPort(): Promise<number>;
