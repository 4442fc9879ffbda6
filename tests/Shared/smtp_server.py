"""A real SMTP server (Debian's python3-aiosmtpd) for the tests, on 127.0.0.1 only, keeping every message it accepts.

Usage: /usr/bin/python3 smtp_server.py --port N --dir FOLDER [--user U --password P] [--fail-first N]

  --port        the port to listen on, on 127.0.0.1 only
  --dir         where each accepted message is written, as 001.eml, 002.eml, ... (the raw bytes the client sent
                after DATA). Each is written under a temporary name first and then renamed, so a file named *.eml is
                always complete.
  --user/--password
                require AUTH (PLAIN or LOGIN, offered without TLS) with this pair before MAIL FROM; without them no
                AUTH is offered and any client may send
  --fail-first  answer "451 4.3.0 Try again later" to the first N messages (after their DATA), keeping nothing

Prints READY on stdout once listening and runs until SIGTERM (or SIGINT).
"""
import argparse
import logging
import os
import signal
import sys
import threading
import warnings

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keeper:
    """The aiosmtpd handler. Its members named handle_* and auth_* are hooks that aiosmtpd finds by name: only
    handle_DATA is meant to be one."""

    def __init__(self, folder: str, fail_first: int) -> None:
        self.folder = folder
        self.failures_left = fail_first
        self.saved = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:
        with self.lock:
            if self.failures_left > 0:
                self.failures_left -= 1
                return "451 4.3.0 Try again later"
            self.saved += 1
            number = self.saved
        content = envelope.original_content
        if content is None:
            content = envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8", errors="surrogateescape")
        final = os.path.join(self.folder, f"{number:03d}.eml")
        temporary = os.path.join(self.folder, f".{number:03d}.eml.tmp")
        with open(temporary, "wb") as file:
            file.write(content or b"")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, final)
        return "250 2.0.0 OK"


class PairAuthenticator:
    """Accepts exactly one user name and password pair (AUTH PLAIN or LOGIN)."""

    def __init__(self, user: str, password: str) -> None:
        self.user = user.encode("utf-8")
        self.password = password.encode("utf-8")

    def __call__(self, server, session, envelope, mechanism, auth_data) -> AuthResult:
        if mechanism not in ("PLAIN", "LOGIN") or not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        if auth_data.login == self.user and auth_data.password == self.password:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)


def main() -> None:
    parser = argparse.ArgumentParser(description="SMTP server for the portal's tests")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--fail-first", type=int, default=0)
    args = parser.parse_args()
    if (args.user is None) != (args.password is None):
        parser.error("--user and --password go together")

    os.makedirs(args.dir, exist_ok=True)
    # aiosmtpd logs its deprecation and no-TLS notices as warnings; stderr is kept for real errors.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    options = {"hostname": "127.0.0.1", "port": args.port, "server_hostname": "portal-test-smtp"}
    if args.user is not None:
        # On purpose: AUTH over plain TCP on the loopback, as the tests do not set up TLS.
        warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
        options.update(
            auth_required=True,
            auth_require_tls=False,
            authenticator=PairAuthenticator(args.user, args.password))
    controller = Controller(Keeper(args.dir, args.fail_first), **options)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    controller.start()
    print("READY", flush=True)
    try:
        while not stop.wait(1):
            pass
    finally:
        controller.stop()
    sys.exit(0)


if __name__ == "__main__":
    main()
