"""How the platform runs Debian's Chromium, headless, wherever it does (the blue book's PDF, the
console's browser tests and benchmark): no sandbox (containers and CI have no user namespaces),
no GPU, and nothing that reaches out on its own (no QUIC, background networking, component
updates or sync) — a government intranet is offline."""

CHROMIUM_FLAGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
