"""Staff accounts from the command line: `python -m console add-user`.

    python -m console add-user --username chi.lan --role editor   # asks for the password
    printf '%s' "$PASSWORD" | python -m console add-user --username an --password-stdin

The account is written to DATABASE_URL's database (migrated first) and the audit log
names the command line ("hệ thống") as its author.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from console.account_changes import add_account
from console.accounts import AccountError
from console.roles import Role
from db import make_engine, make_session_factory, upgrade_to_head
from settings import get_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m console", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    add = commands.add_parser("add-user", help="add a staff account")
    add.add_argument("--username", required=True)
    add.add_argument("--role", choices=[role.value for role in Role], default=Role.EDITOR.value)
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.add_argument("--database-url", default=None, help="default: DATABASE_URL")
    return parser


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.read().rstrip("\n")
    first = getpass.getpass("Mật khẩu: ")
    if getpass.getpass("Nhập lại mật khẩu: ") != first:
        raise AccountError("Hai lần nhập mật khẩu không giống nhau.")
    return first


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 when done, 2 when refused (the reason on stderr, in Vietnamese)."""
    args = _parser().parse_args(argv)
    url = args.database_url or get_settings().database_url
    try:
        password = _password(args.password_stdin)
        upgrade_to_head(url)
        engine = make_engine(url)
        try:
            with make_session_factory(engine).begin() as session:
                role = Role(args.role)
                new = {"username": args.username, "password": password, "role": role}
                name = add_account(session, **new, actor=None).username
        finally:
            engine.dispose()
    except AccountError as error:
        print(f"Không thêm được: {error}", file=sys.stderr)
        return 2
    print(f"Đã thêm tài khoản {name} ({Role(args.role).label}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
