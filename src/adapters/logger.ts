/** JSON lines on stdout, one object per event, with correlation ids as fields (requestId, authEventId, tripId). */
export type Level = 'debug' | 'info' | 'warn' | 'error';
export type Logger = Record<Level, (message: string, fields?: Record<string, unknown>) => void>;

const ORDER: Record<Level | 'silent', number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

export function createLogger(level: Level | 'silent' = 'info', write: (line: string) => void = (l) => process.stdout.write(l + '\n')): Logger {
  const make = (at: Level) => (message: string, fields?: Record<string, unknown>) => {
    if (ORDER[at] < ORDER[level]) return;
    write(JSON.stringify({ time: new Date().toISOString(), level: at, message, ...fields }));
  };
  return { debug: make('debug'), info: make('info'), warn: make('warn'), error: make('error') };
}
