"""The seller and teammates."""

from __future__ import annotations

import getpass
import pwd
import re
from dataclasses import dataclass

from leadbox_tui.services.normalize import fold
from leadbox_tui.store.models import User


@dataclass(frozen=True)
class UserInfo:
    id: int
    name: str
    handle: str
    email: str | None
    is_me: bool


def _info(user: User) -> UserInfo:
    return UserInfo(user.id, user.name, user.handle, user.email, user.is_me)


def os_user_name() -> tuple[str, str]:
    """The OS user's full name (from the password database when set) and login."""
    login = getpass.getuser()
    try:
        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
    except KeyError:
        gecos = ""
    return gecos or login, login


def unique_handle(name: str) -> str:
    base = re.sub(r"\s+", ".", fold(name)) or "user"
    handle, n = base, 1
    while User.select().where(User.handle == handle).exists():
        n += 1
        handle = f"{base}{n}"
    return handle


def ensure_me() -> UserInfo:
    """The seller, named after the OS user the first time the inbox is opened."""
    me = User.get_or_none(User.is_me == True)  # noqa: E712
    if me is None:
        name, login = os_user_name()
        me = User.create(name=name, handle=unique_handle(login), is_me=True)
    return _info(me)


def add_user(name: str, email: str | None = None) -> UserInfo:
    return _info(User.create(name=name, handle=unique_handle(name), email=email))


def list_users() -> list[UserInfo]:
    return [_info(u) for u in User.select().order_by(User.name, User.id)]


def find_user(name_or_handle: str) -> UserInfo | None:
    """A user by handle, ``me``, or name (accents and case ignored)."""
    text = name_or_handle.strip().lstrip("@")
    if text.lower() == "me":
        return ensure_me()
    for user in User.select():
        if user.handle == text or fold(user.name) == fold(text):
            return _info(user)
    return None
