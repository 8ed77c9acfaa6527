"""Address ranges as bans hold them (see :mod:`.bans`)."""

from __future__ import annotations

import ipaddress


def normalise_network(text: str) -> str:
    """``text`` (an address or a network) as the network a ban holds: an IPv6 address becomes
    its /64, anything else its network (``ValueError`` for what is neither)."""
    text = text.strip()
    if "/" not in text:
        ip = ipaddress.ip_address(text)
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped:
                return str(ip.ipv4_mapped)
            return str(ipaddress.IPv6Network((ip, 64), strict=False))
        return str(ip)
    return str(ipaddress.ip_network(text, strict=False))
