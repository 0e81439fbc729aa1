/**
 * Wall-clock times in named time zones. The backend resolves the time
 * Herald actually uses; these preview it the same way (a skipped time moves
 * forward by the gap, a repeated one takes its first occurrence). How a
 * time is written is in ./format.
 */

// Asking the engine builds a date formatter (about a millisecond); a list
// of a hundred times asks a few hundred times per render. The answer is
// kept for a minute, so a computer moved to another zone is noticed soon.
const ZONE_TTL_MS = 60_000;
let knownZone: { zone: string; at: number } | undefined;

/** The computer's time zone, e.g. "Europe/Berlin"; "UTC" when the system does not say. */
export function computerZone(): string {
  const now = Date.now();
  if (knownZone && now - knownZone.at < ZONE_TTL_MS) {
    return knownZone.zone;
  }
  let zone = 'UTC';
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    // An engine without time zone data: UTC.
  }
  knownZone = { zone, at: now };
  return zone;
}

const FALLBACK_ZONES = [
  'UTC',
  'America/Los_Angeles',
  'America/Denver',
  'America/Chicago',
  'America/New_York',
  'America/Sao_Paulo',
  'Europe/London',
  'Europe/Berlin',
  'Europe/Paris',
  'Europe/Helsinki',
  'Africa/Johannesburg',
  'Asia/Dubai',
  'Asia/Kolkata',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Pacific/Auckland',
];

/** Every IANA zone this engine knows, with UTC and `also` included, sorted. */
export function timeZones(...also: string[]): string[] {
  let zones: string[];
  try {
    zones = Intl.supportedValuesOf('timeZone');
  } catch {
    zones = FALLBACK_ZONES;
  }
  const set = new Set([...zones, 'UTC', ...also.filter(Boolean)]);
  return [...set].sort((a, b) => a.localeCompare(b));
}

/** True when the engine knows the zone. */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

const partsFormats = new Map<string, Intl.DateTimeFormat>();

function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    partsFormats.set(zone, format);
  }
  return format;
}

/** The wall-clock reading of an instant in a zone. */
function wallOf(instant: number, zone: string): Wall & { second: number } {
  const parts = partsFormat(zone).formatToParts(new Date(instant));
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour') % 24, minute: get('minute'), second: get('second') };
}

/** How far the zone's clocks are ahead of UTC at an instant, in minutes. */
export function zoneOffsetMinutes(instant: number, zone: string): number {
  const w = wallOf(instant, zone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return Math.round((asUtc - Math.floor(instant / 1000) * 1000) / 60_000);
}

const WALL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

function parseWall(local: string): Wall | undefined {
  const m = WALL_PATTERN.exec(local);
  if (!m) {
    return undefined;
  }
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) {
    return undefined;
  }
  return { year, month, day, hour, minute };
}

const pad = (n: number) => String(n).padStart(2, '0');

function formatWall(w: Wall): string {
  return `${String(w.year).padStart(4, '0')}-${pad(w.month)}-${pad(w.day)}T${pad(w.hour)}:${pad(w.minute)}`;
}

export interface ZonedInstant {
  /** The instant the wall time names. */
  at: Date;
  /**
   * False when the zone's clocks skip that wall time (a daylight-saving
   * gap); Herald then moves it forward, and says so when scheduling.
   */
  exists: boolean;
}

/** The instant a wall-clock time ("2026-12-01T09:30") names in a zone; undefined for nonsense. */
export function wallToInstant(local: string, zone: string): ZonedInstant | undefined {
  const w = parseWall(local);
  if (!w || !isKnownZone(zone)) {
    return undefined;
  }
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute);
  const wanted = formatWall(w);
  // The offsets either side of any change that day name the candidates;
  // as the backend does, a repeated time takes the first (earliest).
  const hits = [...new Set([-14, -3, 0, 3, 14].map((h) => asUtc - zoneOffsetMinutes(asUtc + h * 3600_000, zone) * 60_000))]
    .filter((at) => formatWall(wallOf(at, zone)) === wanted)
    .sort((a, b) => a - b);
  if (hits[0] !== undefined) {
    return { at: new Date(hits[0]), exists: true };
  }
  // Skipped: read with the offset in force at the start of the day (before
  // the gap), which moves it forward by the gap's length, as the backend does.
  const midnight = Date.UTC(w.year, w.month - 1, w.day);
  const before = zoneOffsetMinutes(midnight - zoneOffsetMinutes(midnight, zone) * 60_000, zone);
  return { at: new Date(asUtc - before * 60_000), exists: false };
}

/** The wall-clock time ("2026-12-01T09:30") of an instant in a zone. */
export function instantToWall(at: Date, zone: string): string {
  return formatWall(wallOf(at.getTime(), zone));
}
