// Pages rendered without a live connection (sign-in, My account) cannot ask the browser for its zone from the
// server, so their times arrive in UTC. This rewrites them where the reader is, in the same form the live pages use:
// "2026-12-04 17:21 UTC+1".
(() => {
    const pad = n => String(n).padStart(2, "0");
    const zoneName = minutes => {
        if (minutes === 0) return "UTC";
        const abs = Math.abs(minutes);
        const hours = Math.floor(abs / 60), rest = abs % 60;
        return `UTC${minutes < 0 ? "-" : "+"}${hours}${rest ? ":" + pad(rest) : ""}`;
    };
    const format = (date, seconds) =>
        `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}` +
        `${seconds ? ":" + pad(date.getSeconds()) : ""} ${zoneName(-date.getTimezoneOffset())}`;
    const apply = () => {
        for (const span of document.querySelectorAll("span.local-time[data-static]")) {
            const date = new Date(span.dataset.utc);
            if (!Number.isNaN(date.getTime())) {
                span.textContent = format(date, span.dataset.static === "seconds");
                span.removeAttribute("data-static");
            }
        }
    };
    document.addEventListener("DOMContentLoaded", apply);
    // Enhanced navigation between static pages swaps the content without a new DOMContentLoaded.
    window.Blazor?.addEventListener?.("enhancedload", apply);
    apply();
})();
