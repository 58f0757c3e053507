import { useEffect, useState } from 'react';

/** the current time, refreshed every `everyMs` (relative dates like "3 min ago" stay true) */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return now;
}
