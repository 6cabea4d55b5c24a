import type { CodeTable } from './code.ts';

/** Codes owned by the store area. Append only; never renumber. */
export const STORE_CODES = {
  RS_STORE_E0001: {
    title: 'Cannot open the snapshot cache',
    hint: 'Check permissions on the .runestone directory; the cache file can be deleted safely, it only costs time',
  },
  RS_STORE_E0002: {
    title: 'Snapshot cache was written by a newer Runestone',
    hint: 'Upgrade Runestone, or delete the cache file: it is rebuilt from live state',
  },
  RS_STORE_E0003: {
    title: 'Snapshot cache query failed',
    hint: 'Another process may hold the cache locked; retry, or delete the cache file',
  },
  RS_STORE_E0004: {
    title: 'Snapshot cache holds an unreadable entry',
    hint: 'Delete the cache file: it is rebuilt from live state on the next run',
  },
} as const satisfies CodeTable;
