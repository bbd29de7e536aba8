const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Local time in Python's `time.ctime()` format, as the original printed it: `Tue Mar  8 22:14:34 2016`.
 * With `utcOffsetMinutes` (as another process's `new Date().getTimezoneOffset()` gave it: minutes
 * west of UTC), the local time of that process's time zone rather than this one's.
 */
export function ctime(date: Date = new Date(), utcOffsetMinutes?: number): string {
  if (utcOffsetMinutes !== undefined) {
    const shifted = new Date(date.getTime() - utcOffsetMinutes * 60_000);
    return format(shifted.getUTCFullYear(), shifted.getUTCMonth(), shifted.getUTCDate(), shifted.getUTCDay(), shifted.getUTCHours(), shifted.getUTCMinutes(), shifted.getUTCSeconds());
  }
  return format(date.getFullYear(), date.getMonth(), date.getDate(), date.getDay(), date.getHours(), date.getMinutes(), date.getSeconds());
}

function format(year: number, month: number, day: number, weekday: number, hours: number, minutes: number, seconds: number): string {
  return `${DAYS[weekday]} ${MONTHS[month]} ${String(day).padStart(2, ' ')} ${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)} ${year}`;
}
