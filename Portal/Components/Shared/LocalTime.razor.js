// The browser's time zone, as an IANA id ("Europe/Madrid"), so the portal can show times where the reader is.
export function timeZone() {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
}
