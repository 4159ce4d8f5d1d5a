"""Sealed secret ballots (docs/SECURITY.md §Secret ballots): a key pair per session, ballots sealed to it, opened
only at the close, after which the private key no longer exists anywhere.

A ballot is a libsodium sealed box (X25519 + XSalsa20-Poly1305, `nacl.public.SealedBox`) to the session's public
key: anyone can seal, only the private key opens. The private key is stored only wrapped (`nacl.secret.SecretBox`)
under a key derived from the application's SECRET_KEY and the session id, so the database files alone never open a
ballot. Every ballot of a session has the same size: the choices are padded to a length fixed by the agenda, so a
"blank" is not longer than a "yes"."""

import json
import secrets

from flask import current_app
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.secret import SecretBox

# per agenda item at most `"<nomination id>":"blank",` (≤ 21 bytes); the receipt and braces fit in the base
BASE, PER_ITEM, BLOCK = 64, 32, 256


class SealError(Exception):
    """A ballot or the session's key cannot be opened: SECRET_KEY changed, or the data was altered."""


def _wrapping_key(session_id: int) -> bytes:
    """A key for this session's private key only, derived from SECRET_KEY (BLAKE2b, keyed, with a context)."""
    root = blake2b(current_app.config["SECRET_KEY"].encode(), digest_size=64, person=b"awards.ballots",
                   encoder=RawEncoder)
    return blake2b(str(session_id).encode(), key=root, digest_size=SecretBox.KEY_SIZE, person=b"ballot-key-wrap",
                   encoder=RawEncoder)


def new_key_pair(session_id: int) -> tuple[bytes, bytes]:
    """(public key, wrapped private key) for a session that opens."""
    private = PrivateKey.generate()
    wrapped = SecretBox(_wrapping_key(session_id)).encrypt(bytes(private))
    return bytes(private.public_key), bytes(wrapped)


def ballot_size(items: int) -> int:
    """The padded length of every ballot of a session whose agenda has `items` dossiers."""
    return -(-(BASE + PER_ITEM * items) // BLOCK) * BLOCK


def seal(public_key: bytes, *, receipt: str, choices: dict[int, str], items: int) -> bytes:
    """One member's choices and receipt, padded to the session's ballot size and sealed to its public key."""
    text = json.dumps({"r": receipt, "v": {str(n): c for n, c in sorted(choices.items())}}, separators=(",", ":"))
    size = ballot_size(items)
    if len(text) > size:
        raise ValueError("ballot larger than its padded size")
    return SealedBox(PublicKey(public_key)).encrypt(text.ljust(size).encode())


def unseal_all(session_id: int, wrapped_private_key: bytes, boxes) -> list[tuple[str, dict[int, str]]]:
    """(receipt, {nomination_id: choice}) of each ballot: the private key is unwrapped for this call only."""
    try:
        private = PrivateKey(SecretBox(_wrapping_key(session_id)).decrypt(wrapped_private_key))
        opener = SealedBox(private)
        ballots = [json.loads(opener.decrypt(bytes(box))) for box in boxes]
    except (CryptoError, ValueError) as exc:
        raise SealError(str(exc)) from exc
    return [(b["r"], {int(n): c for n, c in b["v"].items()}) for b in ballots]


def new_receipt() -> str:
    """A random 64-bit receipt, printed ABCD-EF01-2345-6789."""
    return "-".join(secrets.token_hex(2).upper() for _i in range(4))


def new_ballot_id() -> str:
    """A ballot row's random key: no order, no time."""
    return secrets.token_hex(16)
