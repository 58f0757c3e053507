import { useEffect, useState } from 'react';

/** the current time, re-rendering each minute: relative dates ("3 minutes ago") stay true */
export function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(t);
  }, []);
  return now;
}
