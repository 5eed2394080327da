export declare const HOW_TO_GET_CHROMIUM: string;
export declare function findChromium(env?: NodeJS.ProcessEnv): string | null;
export declare function ensureChromium(log?: (line: string) => void): string | null;
