import type { LanesEvent } from '@lanes/core';

const MARKS: Record<LanesEvent['level'], string> = { debug: ' ', info: '•', warn: '!', error: '✗' };

/** One readable line per library event, for a terminal. */
export function renderLanesEvent(event: LanesEvent): string {
  const time = new Date(event.time).toISOString().slice(11, 19);
  const tail =
    Array.isArray(event.data?.logTail) && (event.data.logTail as string[]).length > 0
      ? `\n    ${(event.data.logTail as string[]).slice(-10).join('\n    ')}`
      : '';
  return `${time} ${MARKS[event.level]} ${event.message}${tail}`;
}
